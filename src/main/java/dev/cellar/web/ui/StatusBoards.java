package dev.cellar.web.ui;

import dev.cellar.config.ScheduleConfig;
import dev.cellar.server.catalog.MonitoringRow;
import dev.cellar.server.metrics.MonitoringSnapshot;
import dev.cellar.server.schedule.ScheduledJob;
import dev.cellar.server.schedule.StandardJobKinds;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The status board's decisions, over plain data: what each row says once the catalog, plan and observation are read. */
public final class StatusBoards {
    static final Duration DEFAULT_RPO_OBJECTIVE = Duration.ofSeconds(ScheduleConfig.DEFAULT_RPO_OBJECTIVE_SECONDS);
    private static final List<String> WORST_FIRST = List.of(MonitoringRow.CRITICAL, MonitoringRow.WARNING, MonitoringRow.OK);

    private StatusBoards() {
    }

    /**
     * @param monitoring  backup_monitoring's rows at {@code now}
     * @param objectives  the configured RPO objective per database (others get the default)
     * @param jobs        the plan's jobs, for the next runs
     * @param observed    the daemon's newest observation; null before its first round
     */
    public static StatusBoard assemble(Instant now, List<MonitoringRow> monitoring, Map<String, Duration> objectives,
            List<ScheduledJob> jobs, MonitoringSnapshot observed) {
        Map<String, MonitoringSnapshot.Database> seen = observed == null ? Map.of()
                : observed.databases().stream().collect(Collectors.toMap(MonitoringSnapshot.Database::database, Function.identity(), (a, b) -> a));
        Long copiesBehind = observed == null ? null : copiesBehind(observed.repositories());
        List<StatusRow> rows = monitoring.stream().map(m -> {
            MonitoringSnapshot.Database db = seen.get(m.database());
            Duration objective = db != null ? db.rpoObjective() : objectives.getOrDefault(m.database(), DEFAULT_RPO_OBJECTIVE);
            Optional<Instant> point = db != null && db.newestRecoverablePoint().isPresent() ? db.newestRecoverablePoint()
                    : newestConsistentPoint(m.database(), monitoring);
            Duration rpo = point.map(p -> Duration.between(p, now)).orElse(null);
            Duration walLag = db == null ? null : db.newestArchivedWal().map(w -> Duration.between(w, now)).orElse(null);
            return new StatusRow(m.database(), m.backupType(), m.status(), m.lastBackup(), m.age(), rpo, objective, walLag, copiesBehind,
                    nextRun(m.database(), m.backupType(), jobs, now));
        }).sorted(Comparator.comparingInt((StatusRow r) -> rank(r.status())).thenComparing(StatusRow::database)
                .thenComparing(StatusRow::backupType)).toList();
        return new StatusBoard(now, rows, observed != null);
    }

    /** The job kind that makes backups of {@code backupType}: the daily full is logical, the hourly incremental physical. */
    static String jobKindOf(String backupType) {
        return "physical".equals(backupType) ? StandardJobKinds.BACKUP_INCREMENTAL.name() : StandardJobKinds.BACKUP_FULL.name();
    }

    static Instant nextRun(String database, String backupType, List<ScheduledJob> jobs, Instant now) {
        String kind = jobKindOf(backupType);
        return jobs.stream().filter(j -> j.kind().equals(kind) && j.database() != null && j.database().name().equals(database))
                .map(j -> j.schedule().next(now)).flatMap(Optional::stream).min(Comparator.naturalOrder()).orElse(null);
    }

    /**
     * Without an observation, the newest point any backup of the database restores to: a logical dump's
     * snapshot is its start, a physical backup is consistent only at its end.
     */
    static Optional<Instant> newestConsistentPoint(String database, List<MonitoringRow> monitoring) {
        return monitoring.stream().filter(m -> m.database().equals(database) && m.lastBackup() != null).map(m -> {
            if ("physical".equals(m.backupType()) && m.durationMinutes() != null) {
                return m.lastBackup().plusSeconds(Math.round(m.durationMinutes().doubleValue() * 60));
            }
            return m.lastBackup();
        }).max(Comparator.naturalOrder());
    }

    /** Null when no copy's lag was observed: "0 behind" must mean someone looked. */
    static Long copiesBehind(List<MonitoringSnapshot.Repository> repositories) {
        List<OptionalLong> behind = repositories.stream().map(MonitoringSnapshot.Repository::backupsBehind).filter(OptionalLong::isPresent).toList();
        return behind.isEmpty() ? null : behind.stream().mapToLong(OptionalLong::getAsLong).sum();
    }

    private static int rank(String status) {
        int index = WORST_FIRST.indexOf(Objects.requireNonNullElse(status, MonitoringRow.CRITICAL));
        return index < 0 ? 0 : index;
    }
}
