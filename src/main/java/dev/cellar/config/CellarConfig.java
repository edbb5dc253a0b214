package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.util.Objects;

/**
 * Everything Cellar is configured with, validated once by {@link ConfigLoader} and immutable after.
 * It holds where secrets come from, never the secrets, so it is safe to print.
 */
public record CellarConfig(RepositoryConfig repository, DatabaseConfig database, PostgresConfig postgres,
        BackupConfig backup, RetentionConfig retention, WalConfig wal) {

    public CellarConfig {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(wal, "wal");
    }

    /**
     * The repository settings, for commands that read or write a repository.
     *
     * @throws CellarException {@code CONFIG_INVALID} when {@code repository.path} is not set
     */
    public RepositoryConfig requireRepository() {
        if (repository.path() == null) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "repository.path is not set; set it in cellar.yaml, CELLAR_REPOSITORY_PATH or --repo",
                    "the repository is the folder that holds the backups, e.g. /var/lib/cellar/repo");
        }
        return repository;
    }
}
