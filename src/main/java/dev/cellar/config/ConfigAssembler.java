package dev.cellar.config;

import java.util.Map;
import java.util.Optional;

/**
 * Turns merged settings into the config records, filling in defaults and deciding where each
 * secret comes from. Kept apart from loading so the defaults are all in one readable place.
 */
final class ConfigAssembler {
    private final Settings settings;
    private final Map<String, String> env;

    ConfigAssembler(Settings settings, Map<String, String> env) {
        this.settings = settings;
        this.env = env;
    }

    CellarConfig assemble() {
        return new CellarConfig(repository(), database(), postgres(), backup(), retention(), wal());
    }

    private RepositoryConfig repository() {
        var keyFile = settings.path(ConfigKey.REPOSITORY_KEY_FILE).orElse(null);
        SecretSource passphrase = secret(SecretName.REPOSITORY_PASSPHRASE)
                .orElse(keyFile == null ? new SecretSource.Prompt(SecretName.REPOSITORY_PASSPHRASE) : null);
        return new RepositoryConfig(settings.path(ConfigKey.REPOSITORY_PATH).orElse(null), passphrase, keyFile);
    }

    private DatabaseConfig database() {
        return new DatabaseConfig(
                settings.text(ConfigKey.DATABASE_HOST).orElse(DatabaseConfig.DEFAULT_HOST),
                settings.integer(ConfigKey.DATABASE_PORT).orElse(DatabaseConfig.DEFAULT_PORT),
                settings.text(ConfigKey.DATABASE_USER).orElse(System.getProperty("user.name")),
                settings.text(ConfigKey.DATABASE_NAME).orElse(DatabaseConfig.DEFAULT_NAME),
                secret(SecretName.DATABASE_PASSWORD).orElse(null));
    }

    private PostgresConfig postgres() {
        return new PostgresConfig(settings.path(ConfigKey.POSTGRES_BIN_DIR).orElse(null),
                settings.path(ConfigKey.POSTGRES_DATA_DIR).orElse(null));
    }

    private WalConfig wal() {
        return new WalConfig(
                settings.path(ConfigKey.WAL_SPOOL_PATH).orElse(null),
                settings.integer(ConfigKey.WAL_COMPRESSION_LEVEL).orElse(WalConfig.DEFAULT_COMPRESSION_LEVEL),
                settings.integer(ConfigKey.WAL_AGENT_IDLE_MINUTES).orElse(WalConfig.DEFAULT_AGENT_IDLE_MINUTES),
                settings.integer(ConfigKey.WAL_RPO_SECONDS).orElse(WalConfig.DEFAULT_RPO_SECONDS),
                settings.text(ConfigKey.WAL_STREAM_SLOT).orElse(WalConfig.DEFAULT_STREAM_SLOT));
    }

    private BackupConfig backup() {
        return new BackupConfig(
                settings.integer(ConfigKey.BACKUP_COMPRESSION_LEVEL).orElse(BackupConfig.DEFAULT_COMPRESSION_LEVEL),
                settings.integer(ConfigKey.BACKUP_JOBS).orElse(Runtime.getRuntime().availableProcessors()),
                settings.path(ConfigKey.BACKUP_WORK_DIR).orElse(null),
                settings.integer(ConfigKey.BACKUP_CHUNK_AVG_KIB).orElse(BackupConfig.DEFAULT_CHUNK_AVG_KIB));
    }

    private RetentionConfig retention() {
        return new RetentionConfig(
                settings.integer(ConfigKey.RETENTION_FULL_DAYS).orElse(RetentionConfig.DEFAULT_FULL_DAYS),
                settings.integer(ConfigKey.RETENTION_WAL_DAYS).orElse(RetentionConfig.DEFAULT_WAL_DAYS));
    }

    /**
     * A configured file or variable name wins; otherwise the first of the secret's own variables
     * (such as {@code CELLAR_PASSPHRASE}) that is set.
     */
    private Optional<SecretSource> secret(SecretName secret) {
        Optional<SecretSource> file = settings.path(secret.fileKey()).map(p -> new SecretSource.FromFile(secret, p));
        if (file.isPresent()) {
            return file;
        }
        Optional<SecretSource> variable = settings.text(secret.envKey()).map(v -> new SecretSource.FromEnv(secret, v));
        if (variable.isPresent()) {
            return variable;
        }
        return secret.envVariables().stream()
                .filter(env::containsKey)
                .findFirst()
                .map(v -> new SecretSource.FromEnv(secret, v));
    }
}
