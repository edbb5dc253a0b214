package dev.cellar.server.metrics;

import java.util.List;

/**
 * Every metric cellar server exports, with its Prometheus name, type, labels and help text: the one
 * place they are defined. docs/monitoring.md, the shipped alerting rules and the Grafana dashboard
 * are held to this table by tests, so a name that drifts fails a build instead of a page at 3 a.m.
 *
 * <p>Names follow Prometheus' conventions: base units (seconds, bytes) as the last word, instants as
 * {@code _timestamp_seconds} since the Unix epoch, counters ending in {@code _total}. Labels never
 * use {@code job} or {@code instance}, which Prometheus sets itself.
 */
public enum CellarMetric {
    UP("cellar_up", Type.GAUGE, "1 while cellar server runs and answers scrapes"),
    BUILD_INFO("cellar_build_info", Type.GAUGE, "always 1; the labels say which Cellar and Java are running", "version", "java_version"),
    SNAPSHOT_TIMESTAMP("cellar_snapshot_timestamp_seconds", Type.GAUGE,
            "when the figures below were last gathered from the catalog and repositories"),
    SCHEDULER_LAST_TICK("cellar_scheduler_last_tick_timestamp_seconds", Type.GAUGE,
            "when this node's scheduler last looked for due jobs"),
    SCHEDULER_JOBS_RUNNING("cellar_scheduler_jobs_running", Type.GAUGE, "jobs this node is running now"),
    LAST_SUCCESS("cellar_last_success_timestamp_seconds", Type.GAUGE,
            "end of the newest successful run of the job for the database; 0 when it never succeeded", "job_type", "database"),
    LAST_SUCCESS_OBJECTIVE("cellar_last_success_objective_seconds", Type.GAUGE,
            "the longest time the job may go without a success before it is late, from its schedule", "job_type", "database"),
    JOB_DURATION("cellar_job_duration_seconds", Type.GAUGE, "how long the newest finished run of the job took", "job_type",
            "database"),
    JOB_RUNS("cellar_job_runs_total", Type.COUNTER, "finished runs of the job for the database, by outcome, as the catalog records them",
            "job_type", "database", "status"),
    BACKUP_SIZE("cellar_backup_size_bytes", Type.GAUGE, "size of the newest backup of the database before deduplication and compression",
            "database", "kind"),
    BACKUP_STORED("cellar_backup_stored_bytes", Type.GAUGE,
            "bytes the newest backup of the database added to the repository (after deduplication and compression)", "database", "kind"),
    DEDUP_RATIO("cellar_dedup_ratio", Type.GAUGE,
            "bytes of the database's retained backups divided by the bytes they occupy in the repository", "database"),
    TRUE_RPO("cellar_true_rpo_seconds", Type.GAUGE,
            "now minus the newest point the database can be recovered to from the repository; +Inf when none", "database"),
    RPO_OBJECTIVE("cellar_rpo_objective_seconds", Type.GAUGE, "the recovery point objective configured for the database", "database"),
    WAL_ARCHIVE_LAG("cellar_wal_archive_lag_seconds", Type.GAUGE,
            "now minus the time of the newest WAL segment archived for the database's cluster", "database"),
    LAST_RESTORE_TEST_SUCCESS("cellar_last_restore_test_success_timestamp_seconds", Type.GAUGE,
            "end of the newest restore test of the database that passed; 0 when none ever passed", "database"),
    COPY_BEHIND("cellar_copy_behind_objects", Type.GAUGE,
            "backups (kind=backup) or WAL files (kind=wal) the repository copy lacks and should hold", "repository", "kind"),
    REPOSITORY_SIZE("cellar_repository_size_bytes", Type.GAUGE, "bytes the repository copy occupies", "repository"),
    REPOSITORY_FREE("cellar_repository_free_bytes", Type.GAUGE,
            "bytes free on the file system that holds the repository copy (folders only)", "repository");

    /** The kinds of Prometheus metric Cellar exports; no histograms, since every figure is one value per label set. */
    public enum Type { GAUGE, COUNTER }

    private final String prometheusName;
    private final Type type;
    private final String help;
    private final List<String> labels;

    CellarMetric(String prometheusName, Type type, String help, String... labels) {
        this.prometheusName = prometheusName;
        this.type = type;
        this.help = help;
        this.labels = List.of(labels);
    }

    /** The name as Prometheus stores it, e.g. {@code cellar_true_rpo_seconds}. */
    public String prometheusName() {
        return prometheusName;
    }

    public Type type() {
        return type;
    }

    public String help() {
        return help;
    }

    /** The label names every sample of the metric carries, in order. */
    public List<String> labels() {
        return labels;
    }

    /**
     * The name given to Micrometer: dotted, and for a counter without {@code _total}, which
     * Micrometer's Prometheus naming adds back; it leaves the unit alone because the name already
     * ends in it.
     */
    String micrometerName() {
        String base = type == Type.COUNTER ? prometheusName.substring(0, prometheusName.length() - "_total".length()) : prometheusName;
        return base.replace('_', '.');
    }
}
