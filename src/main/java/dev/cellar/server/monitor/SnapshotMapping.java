package dev.cellar.server.monitor;

import dev.cellar.server.metrics.MonitoringSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Turns one round's facts into the metrics snapshot. Pure. What a round could not read is left
 * empty (its metric is then absent, not a misleading zero); copies behind are not observed.
 */
public final class SnapshotMapping {
    /** The {@code database} label of a job on the whole repository ({@code sync}). */
    public static final String WHOLE_REPOSITORY = "all";

    private SnapshotMapping() {
    }

    public static MonitoringSnapshot of(ObservedFacts facts) {
        return new MonitoringSnapshot(facts.now(), facts.scheduler(), jobs(facts), databases(facts), repositories(facts));
    }

    /** One entry per planned job and per (kind, database) the ledger has runs of, planned or not (any more). */
    static List<MonitoringSnapshot.Job> jobs(ObservedFacts facts) {
        Map<String, MonitoringSnapshot.Job> jobs = new LinkedHashMap<>();
        Map<String, JobRunFacts.Totals> totals = new LinkedHashMap<>();
        if (facts.jobRuns() != null) {
            facts.jobRuns().totals().forEach(t -> totals.put(key(t.kind(), t.database()), t));
        }
        for (PlannedJob job : facts.jobs()) {
            String key = key(job.kind(), job.database());
            jobs.putIfAbsent(key, job(job.kind(), job.database(), job.successObjective(), totals.get(key)));
        }
        totals.forEach((key, t) -> jobs.putIfAbsent(key, job(t.kind(), t.database(), Optional.empty(), t)));
        return new ArrayList<>(jobs.values());
    }

    private static MonitoringSnapshot.Job job(String kind, String database, Optional<java.time.Duration> objective, JobRunFacts.Totals totals) {
        return new MonitoringSnapshot.Job(kind, database == null ? WHOLE_REPOSITORY : database,
                Optional.ofNullable(totals == null ? null : totals.lastSuccess()), objective,
                Optional.ofNullable(totals == null ? null : totals.lastDuration()), totals == null ? Map.of() : totals.runsByStatus());
    }

    private static String key(String kind, String database) {
        return kind + '\u0000' + Objects.requireNonNullElse(database, "");
    }

    static List<MonitoringSnapshot.Database> databases(ObservedFacts facts) {
        List<MonitoringSnapshot.Database> databases = new ArrayList<>();
        for (WatchedDatabase db : facts.databases()) {
            List<LoggedBackup> backups = facts.backupLog() == null ? List.of()
                    : facts.backupLog().newest().stream().filter(b -> b.database().equals(db.name())).toList();
            WalFacts wal = facts.wal().get(db.server());
            Optional<Instant> archived = wal == null || !wal.archiveModeOn() ? Optional.empty() : Optional.ofNullable(wal.lastArchivedAt());
            databases.add(new MonitoringSnapshot.Database(db.name(), newestPerType(backups), dedupRatio(facts, db.name()),
                    facts.backupLog() == null ? Optional.empty() : RecoveryPoints.newest(db, backups, wal), db.rpoObjective(),
                    archived, lastRestoreTestSuccess(facts, db.name())));
        }
        return databases;
    }

    /** The newest backup of each type ({@code logical}, {@code physical}) whose sizes are known. */
    static List<MonitoringSnapshot.Backup> newestPerType(List<LoggedBackup> backups) {
        Map<String, LoggedBackup> newest = new LinkedHashMap<>();
        backups.stream().filter(b -> b.sizeBytes() != null && b.storedBytes() != null)
                .sorted(Comparator.comparing(LoggedBackup::startedAt).reversed())
                .forEach(b -> newest.putIfAbsent(b.backupType(), b));
        return newest.values().stream().sorted(Comparator.comparing(LoggedBackup::backupType))
                .map(b -> new MonitoringSnapshot.Backup(b.backupType(), b.sizeBytes(), b.storedBytes())).toList();
    }

    private static OptionalDouble dedupRatio(ObservedFacts facts, String database) {
        if (facts.backupLog() == null) {
            return OptionalDouble.empty();
        }
        return facts.backupLog().retained().stream().filter(r -> r.database().equals(database) && r.storedBytes() > 0)
                .mapToDouble(r -> (double) r.sizeBytes() / r.storedBytes()).findFirst();
    }

    private static Optional<Instant> lastRestoreTestSuccess(ObservedFacts facts, String database) {
        if (facts.backupLog() == null) {
            return Optional.empty();
        }
        return facts.backupLog().checks().stream().filter(c -> c.restoreTest() && c.passed() && database.equals(c.database()))
                .map(BackupLogFacts.Check::finishedAt).max(Comparator.naturalOrder());
    }

    static List<MonitoringSnapshot.Repository> repositories(ObservedFacts facts) {
        if (facts.storage() == null) {
            return List.of();
        }
        return facts.storage().stream().filter(f -> f.repositoryBytes() != null)
                .map(f -> new MonitoringSnapshot.Repository(f.copy(), f.repositoryBytes(), OptionalLong.of(f.usableBytes()),
                        OptionalLong.empty(), OptionalLong.empty()))
                .toList();
    }
}
