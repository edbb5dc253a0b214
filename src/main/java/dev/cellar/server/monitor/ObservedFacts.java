package dev.cellar.server.monitor;

import dev.cellar.server.metrics.MonitoringSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one observation round gathered, as plain data: what {@link AlertInputsMapping} and
 * {@link SnapshotMapping} turn into alert inputs and a metrics snapshot. A part that could not be
 * read is null; the mappings then leave it unobserved rather than report it empty.
 *
 * @param wal                 facts per server ({@code host:port}) that answered now or at an earlier round
 * @param previousFailedCounts {@code failed_count} per server at the previous round
 * @param storage             the folder copies; null when none could be measured
 */
public record ObservedFacts(Instant now, List<WatchedDatabase> databases, List<PlannedJob> jobs, JobRunFacts jobRuns,
        BackupLogFacts backupLog, Map<String, WalFacts> wal, Map<String, Long> previousFailedCounts, List<FolderUsage> storage,
        MonitoringSnapshot.Scheduler scheduler) {
    public ObservedFacts {
        Objects.requireNonNull(now, "now");
        databases = List.copyOf(databases);
        jobs = List.copyOf(jobs);
        wal = Map.copyOf(wal);
        previousFailedCounts = Map.copyOf(previousFailedCounts);
        Objects.requireNonNull(scheduler, "scheduler");
    }
}
