package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.util.List;
import java.util.Objects;

/**
 * Everything Cellar is configured with, validated once by {@link ConfigLoader} and immutable after.
 * It holds where secrets come from, never the secrets, so it is safe to print.
 */
public record CellarConfig(RepositoryConfig repository, List<RepositoryTarget> repositories, DatabaseConfig database,
        PostgresConfig postgres, BackupConfig backup, RetentionConfig retention, WalConfig wal, WormConfig worm,
        LifecycleConfig lifecycle, CatalogConfig catalog, ScheduleConfig schedule, AlertsConfig alerts,
        ServerHttpConfig serverHttp, WebAuthConfig webAuth, WebApiConfig webApi, HttpsConfig https, OidcConfig oidc,
        DataPolicyConfig dataPolicy, DataLifecycleSchedules lifecycleSchedules, DrillConfig drill, RecoverConfig recover) {

    public CellarConfig {
        Objects.requireNonNull(repository, "repository");
        repositories = List.copyOf(repositories);
        Objects.requireNonNull(worm, "worm");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(wal, "wal");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(serverHttp, "serverHttp");
        Objects.requireNonNull(webAuth, "webAuth");
        Objects.requireNonNull(webApi, "webApi");
        Objects.requireNonNull(https, "https");
        Objects.requireNonNull(oidc, "oidc");
        Objects.requireNonNull(dataPolicy, "dataPolicy");
        Objects.requireNonNull(recover, "recover");
    }

    /**
     * This configuration as a command run for {@code db} would see it: its connection as the
     * database, its data directory (when it has one) as postgres.data-dir. How the daemon runs one
     * database's job through the same services as the CLI.
     */
    public CellarConfig forDatabase(ScheduledDatabase db) {
        return new CellarConfig(repository, repositories, db.connection(),
                new PostgresConfig(postgres.binDir(), db.dataDir() != null ? db.dataDir() : postgres.dataDir()),
                backup, retention, wal, worm, lifecycle, catalog, schedule, alerts, serverHttp, webAuth, webApi, https, oidc, dataPolicy,
                lifecycleSchedules, drill, recover);
    }

    /** The databases {@code cellar server} protects, each with its own schedules (never empty). */
    public List<ScheduledDatabase> scheduledDatabases() {
        return schedule.databases();
    }

    /**
     * The repository settings, for commands that read or write a repository.
     *
     * @throws CellarException {@code CONFIG_INVALID} when {@code repository.path} is not set
     */
    public RepositoryConfig requireRepository() {
        requireRepositories();
        return repository;
    }

    /**
     * Every configured copy of the repository, the one read first first.
     *
     * @throws CellarException {@code CONFIG_INVALID} when none is configured
     */
    public List<RepositoryTarget> requireRepositories() {
        if (repositories.isEmpty()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    ConfigKey.REPOSITORY_PATH.dotted() + " is not set; set it in cellar.yaml, " + ConfigKey.REPOSITORY_PATH.env()
                            + " or --repo",
                    "the repository is the folder (or s3://bucket/prefix) that holds the backups, e.g. /var/lib/cellar/repo");
        }
        return repositories;
    }

    /** The configured copy called {@code name}. */
    public RepositoryTarget repositoryNamed(String name) {
        return requireRepositories().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new CellarException(ErrorCode.CONFIG_INVALID, "no repository named '" + name + "' is configured"
                        + Suggestions.didYouMean(name, repositories.stream().map(RepositoryTarget::name).toList()),
                        "the configured repositories are: " + String.join(", ", repositories.stream().map(RepositoryTarget::name).toList())));
    }
}
