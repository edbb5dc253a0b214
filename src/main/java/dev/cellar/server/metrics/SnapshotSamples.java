package dev.cellar.server.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Derives the samples of every metric from a snapshot at one instant: a pure function, so what
 * each figure means (how the true RPO and the WAL lag grow between two gatherings, what a database
 * that never had a restore test exports) is tested without a server, a registry or a clock.
 */
public final class SnapshotSamples {
    /** The outcomes every job exports, 0 until the first run that ends so. */
    public static final List<String> ALWAYS_COUNTED = List.of("ok", "failed");

    private SnapshotSamples() {
    }

    /**
     * The samples for {@code snapshot} as seen at {@code now}; ages (true RPO, WAL lag) are measured
     * from {@code now}, so they keep growing while no new snapshot arrives.
     */
    public static List<MetricSample> of(MonitoringSnapshot snapshot, Instant now, BuildInfo build) {
        List<MetricSample> samples = new ArrayList<>();
        samples.add(MetricSample.of(CellarMetric.UP, 1));
        samples.add(MetricSample.of(CellarMetric.BUILD_INFO, 1, build.version(), build.javaVersion()));
        samples.add(MetricSample.of(CellarMetric.SNAPSHOT_TIMESTAMP, seconds(snapshot.takenAt())));
        snapshot.scheduler().lastTick().ifPresent(tick -> samples.add(MetricSample.of(CellarMetric.SCHEDULER_LAST_TICK, seconds(tick))));
        samples.add(MetricSample.of(CellarMetric.SCHEDULER_JOBS_RUNNING, snapshot.scheduler().jobsRunning()));
        for (MonitoringSnapshot.Job job : snapshot.jobs()) {
            addJob(samples, job);
        }
        for (MonitoringSnapshot.Database database : snapshot.databases()) {
            addDatabase(samples, database, now);
        }
        for (MonitoringSnapshot.Repository repository : snapshot.repositories()) {
            addRepository(samples, repository);
        }
        return List.copyOf(samples);
    }

    private static void addJob(List<MetricSample> samples, MonitoringSnapshot.Job job) {
        String type = job.jobType();
        String database = job.database();
        // 0, not absent, for a job that never succeeded: "older than its objective" must fire for it too
        samples.add(MetricSample.of(CellarMetric.LAST_SUCCESS, job.lastSuccess().map(SnapshotSamples::seconds).orElse(0.0), type, database));
        job.successObjective().ifPresent(o -> samples.add(MetricSample.of(CellarMetric.LAST_SUCCESS_OBJECTIVE, seconds(o), type, database)));
        job.lastDuration().ifPresent(d -> samples.add(MetricSample.of(CellarMetric.JOB_DURATION, seconds(d), type, database)));
        Map<String, Long> sorted = new TreeMap<>(job.runsByStatus());
        // always present, if only at 0: increase() does not count a series' first sample, so a "failed" series
        // born with the first failure would never fire an alert
        ALWAYS_COUNTED.forEach(status -> sorted.putIfAbsent(status, 0L));
        sorted.forEach((status, runs) -> samples.add(MetricSample.of(CellarMetric.JOB_RUNS, runs, type, database, status)));
    }

    private static void addDatabase(List<MetricSample> samples, MonitoringSnapshot.Database db, Instant now) {
        String name = db.database();
        for (MonitoringSnapshot.Backup backup : db.newestBackups()) {
            samples.add(MetricSample.of(CellarMetric.BACKUP_SIZE, backup.sizeBytes(), name, backup.kind()));
            samples.add(MetricSample.of(CellarMetric.BACKUP_STORED, backup.storedBytes(), name, backup.kind()));
        }
        db.dedupRatio().ifPresent(ratio -> samples.add(MetricSample.of(CellarMetric.DEDUP_RATIO, ratio, name)));
        // nothing recoverable at all is an unbounded loss, which must compare above any objective
        double rpo = db.newestRecoverablePoint().map(point -> age(point, now)).orElse(Double.POSITIVE_INFINITY);
        samples.add(MetricSample.of(CellarMetric.TRUE_RPO, rpo, name));
        samples.add(MetricSample.of(CellarMetric.RPO_OBJECTIVE, seconds(db.rpoObjective()), name));
        db.newestArchivedWal().ifPresent(wal -> samples.add(MetricSample.of(CellarMetric.WAL_ARCHIVE_LAG, age(wal, now), name)));
        samples.add(MetricSample.of(CellarMetric.LAST_RESTORE_TEST_SUCCESS,
                db.lastRestoreTestSuccess().map(SnapshotSamples::seconds).orElse(0.0), name));
    }

    private static void addRepository(List<MetricSample> samples, MonitoringSnapshot.Repository repo) {
        String name = repo.repository();
        samples.add(MetricSample.of(CellarMetric.REPOSITORY_SIZE, repo.sizeBytes(), name));
        repo.freeBytes().ifPresent(free -> samples.add(MetricSample.of(CellarMetric.REPOSITORY_FREE, free, name)));
        // left out, not 0, while nobody counted: a copy never compared is not known to be in step
        repo.backupsBehind().ifPresent(behind -> samples.add(MetricSample.of(CellarMetric.COPY_BEHIND, behind, name, "backup")));
        repo.walBehind().ifPresent(behind -> samples.add(MetricSample.of(CellarMetric.COPY_BEHIND, behind, name, "wal")));
    }

    /** Seconds from {@code then} to {@code now}; never negative, as a clock a little behind the catalog's must not export a negative age. */
    private static double age(Instant then, Instant now) {
        return Math.max(0, seconds(Duration.between(then, now)));
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    private static double seconds(Duration duration) {
        return duration.getSeconds() + duration.getNano() / 1e9;
    }
}
