package dev.cellar.config;

import java.util.List;

/**
 * Names the secrets Cellar may need, and the settings that say where each comes from. It names a
 * secret; it never holds one.
 */
public enum SecretName {
    REPOSITORY_PASSPHRASE("repository.passphrase", "repository passphrase", List.of(CellarVariable.PASSPHRASE.variable()),
            ConfigKey.REPOSITORY_PASSPHRASE_FILE, ConfigKey.REPOSITORY_PASSPHRASE_ENV),
    DATABASE_PASSWORD("database.password", "database password",
            List.of(CellarVariable.DATABASE_PASSWORD.variable(), "PGPASSWORD"),
            ConfigKey.DATABASE_PASSWORD_FILE, ConfigKey.DATABASE_PASSWORD_ENV),
    CATALOG_PASSWORD("catalog.password", "catalog password", List.of(CellarVariable.CATALOG_PASSWORD.variable()),
            ConfigKey.CATALOG_PASSWORD_FILE, ConfigKey.CATALOG_PASSWORD_ENV),
    ALERTS_SMTP_PASSWORD("alerts.smtp-password", "SMTP password", List.of(CellarVariable.SMTP_PASSWORD.variable()),
            ConfigKey.ALERTS_SMTP_PASSWORD_FILE, ConfigKey.ALERTS_SMTP_PASSWORD_ENV),
    ALERTS_WEBHOOK_SECRET("alerts.webhook-secret", "webhook signing secret", List.of(CellarVariable.WEBHOOK_SECRET.variable()),
            ConfigKey.ALERTS_WEBHOOK_SECRET_FILE, ConfigKey.ALERTS_WEBHOOK_SECRET_ENV),
    SERVER_TLS_KEYSTORE_PASSWORD("server.tls.keystore-password", "HTTPS keystore password",
            List.of(CellarVariable.TLS_KEYSTORE_PASSWORD.variable()),
            ConfigKey.SERVER_TLS_KEYSTORE_PASSWORD_FILE, ConfigKey.SERVER_TLS_KEYSTORE_PASSWORD_ENV),
    WEB_OIDC_CLIENT_SECRET("web.oidc.client-secret", "OIDC client secret", List.of(CellarVariable.OIDC_CLIENT_SECRET.variable()),
            ConfigKey.WEB_OIDC_CLIENT_SECRET_FILE, ConfigKey.WEB_OIDC_CLIENT_SECRET_ENV),
    HSM_PIN("repository.pkcs11.pin", "HSM token PIN", List.of(CellarVariable.HSM_PIN.variable()),
            ConfigKey.REPOSITORY_PKCS11_PIN_FILE, ConfigKey.REPOSITORY_PKCS11_PIN_ENV);

    private final String key;
    private final String label;
    private final List<String> envVariables;
    private final ConfigKey fileKey;
    private final ConfigKey envKey;

    SecretName(String key, String label, List<String> envVariables, ConfigKey fileKey, ConfigKey envKey) {
        this.key = key;
        this.label = label;
        this.envVariables = envVariables;
        this.fileKey = fileKey;
        this.envKey = envKey;
    }

    /** The setting name used in messages, e.g. {@code repository.passphrase}. */
    public String key() {
        return key;
    }

    /** Words for a prompt, e.g. "repository passphrase". */
    public String label() {
        return label;
    }

    /**
     * The variables that may hold this secret directly, first match wins, e.g.
     * {@code CELLAR_PASSPHRASE}; they apply only when no file or variable is configured.
     */
    public List<String> envVariables() {
        return envVariables;
    }

    /** What an operator without a terminal can do instead of typing the secret. */
    public String alternatives() {
        return "set " + envVariables.get(0) + " or " + fileKey.dotted();
    }

    ConfigKey fileKey() {
        return fileKey;
    }

    ConfigKey envKey() {
        return envKey;
    }
}
