package dev.cellar.config;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code CELLAR_*} environment variables that are not a setting's override ({@link ConfigKey#env()}
 * names those): together the two tables are every {@code CELLAR_*} name Cellar and its launcher
 * read, and docs/configuration.md lists both (a test holds it to them).
 */
public enum CellarVariable {
    /** The configuration file to read when no {@code --config} is given. */
    CONFIG("CELLAR_CONFIG"),
    /** The repository passphrase itself, when no passphrase file, variable name or key file is configured. */
    PASSPHRASE("CELLAR_PASSPHRASE"),
    /** The database password itself, when no password file or variable name is configured (before PGPASSWORD). */
    DATABASE_PASSWORD("CELLAR_DATABASE_PASSWORD"),
    /** The SMTP password of the alert e-mail itself, when no password file or variable name is configured. */
    SMTP_PASSWORD("CELLAR_SMTP_PASSWORD"),
    /** The secret that signs alert webhooks itself, when no secret file or variable name is configured. */
    WEBHOOK_SECRET("CELLAR_WEBHOOK_SECRET"),
    /** Set (to anything): every error prints its stack trace. */
    DEBUG("CELLAR_DEBUG"),
    /** Set (to anything): no progress bar on the terminal. */
    NO_PROGRESS("CELLAR_NO_PROGRESS"),
    /** The command that runs Cellar in the restore_command {@code restore pitr} writes (default: this JVM and jar). */
    LAUNCHER("CELLAR_LAUNCHER"),
    /** Read by the {@code ./cellar} launcher script: extra options for the JVM. */
    JAVA_OPTS("CELLAR_JAVA_OPTS"),
    /** Read by the {@code ./cellar} launcher script: {@code 1} means never build the jar, only run it. */
    NO_BUILD("CELLAR_NO_BUILD"),
    /** The catalog database's password itself, when no password file or variable name is configured. */
    CATALOG_PASSWORD("CELLAR_CATALOG_PASSWORD"),
    /** The password of the HTTPS keystore itself, when no password file or variable name is configured. */
    TLS_KEYSTORE_PASSWORD("CELLAR_TLS_KEYSTORE_PASSWORD"),
    /** The OIDC client secret itself, when no secret file or variable name is configured. */
    OIDC_CLIENT_SECRET("CELLAR_OIDC_CLIENT_SECRET"),
    /** The HSM token PIN itself, when no PIN file or variable name is configured. */
    HSM_PIN("CELLAR_HSM_PIN"),
    /** {@code java}: derive passphrase keys with BouncyCastle even where the system's libargon2 is installed. */
    ARGON2("CELLAR_ARGON2");

    private final String variable;

    CellarVariable(String variable) {
        this.variable = variable;
    }

    /** The variable's name, e.g. {@code CELLAR_CONFIG}. */
    public String variable() {
        return variable;
    }

    static List<String> allVariables() {
        return Arrays.stream(values()).map(CellarVariable::variable).toList();
    }
}
