package dev.cellar.server.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * WAL that does not reach the repository: the newest archived segment is older than the bound
 * while WAL waits ({@code wal-archive-delay}), the archiver keeps failing
 * ({@code wal-archive-failing}), or Cellar's WAL stream lags too far behind ({@code wal-stream-lag}).
 * Each resolves when its figure is back within bounds.
 */
public final class WalCondition implements AlertCondition {
    public static final String DELAY = "wal-archive-delay";
    public static final String FAILING = "wal-archive-failing";
    public static final String STREAM_LAG = "wal-stream-lag";

    @Override
    public List<String> names() {
        return List.of(DELAY, FAILING, STREAM_LAG);
    }

    @Override
    public boolean observes(AlertInputs inputs) {
        return inputs.wal() != null;
    }

    @Override
    public List<Finding> findings(AlertInputs inputs, AlertThresholds thresholds) {
        List<Finding> findings = new ArrayList<>();
        for (WalStatus wal : inputs.wal()) {
            delay(wal, inputs, thresholds).ifPresent(findings::add);
            failing(wal).ifPresent(findings::add);
            lag(wal, thresholds).ifPresent(findings::add);
        }
        return findings;
    }

    private static java.util.Optional<Finding> delay(WalStatus wal, AlertInputs inputs, AlertThresholds thresholds) {
        if (Boolean.FALSE.equals(wal.walWaiting())) {
            return java.util.Optional.empty();
        }
        Duration age = wal.newestArchivedAt() == null ? null : Duration.between(wal.newestArchivedAt(), inputs.now());
        if (age != null && age.compareTo(thresholds.walDelay()) <= 0) {
            return java.util.Optional.empty();
        }
        String summary = age == null ? "no WAL segment of " + wal.server() + " has ever been archived"
                : "WAL archiving of " + wal.server() + " is " + Texts.duration(age) + " behind (bound " + Texts.duration(thresholds.walDelay()) + ")";
        return java.util.Optional.of(new Finding(DELAY, Finding.key(DELAY, wal.server()), Severity.CRITICAL, wal.server(), summary,
                "newest archived segment: " + Texts.instant(wal.newestArchivedAt()) + "; archiver failures so far: " + wal.failedCount()
                        + (wal.lastFailedWal() == null ? "" : "; last failed segment " + wal.lastFailedWal() + " at " + Texts.instant(wal.lastFailedAt())),
                "point-in-time recovery cannot reach past the newest archived segment: check archive_command in the server log "
                        + "(SELECT * FROM pg_stat_archiver), and that the repository is reachable and has space; "
                        + "pg_wal fills while this lasts",
                wal.newestArchivedAt()));
    }

    private static java.util.Optional<Finding> failing(WalStatus wal) {
        boolean rising = wal.previousFailedCount() != null && wal.failedCount() > wal.previousFailedCount();
        boolean failedSinceLastSuccess = wal.lastFailedAt() != null
                && (wal.newestArchivedAt() == null || wal.lastFailedAt().isAfter(wal.newestArchivedAt()));
        if (!rising && !failedSinceLastSuccess) {
            return java.util.Optional.empty();
        }
        String more = rising ? " (" + (wal.failedCount() - wal.previousFailedCount()) + " more failures since the last check)" : "";
        return java.util.Optional.of(new Finding(FAILING, Finding.key(FAILING, wal.server()), Severity.CRITICAL, wal.server(),
                "archive_command of " + wal.server() + " is failing" + more,
                "pg_stat_archiver: failed_count " + wal.failedCount() + ", last failed segment "
                        + (wal.lastFailedWal() == null ? "unknown" : wal.lastFailedWal()) + " at " + Texts.instant(wal.lastFailedAt())
                        + ", newest archived at " + Texts.instant(wal.newestArchivedAt()),
                "read the server log for archive_command's error (run the command by hand as the postgres user to see it); "
                        + "PostgreSQL retries the segment by itself once the cause is fixed",
                wal.lastFailedAt()));
    }

    private static java.util.Optional<Finding> lag(WalStatus wal, AlertThresholds thresholds) {
        if (wal.streamLagBytes() == null || wal.streamLagBytes() <= thresholds.streamLagBytes()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Finding(STREAM_LAG, Finding.key(STREAM_LAG, wal.server()), Severity.WARNING, wal.server(),
                "Cellar's WAL stream from " + wal.server() + " is " + Texts.bytes(wal.streamLagBytes()) + " behind",
                "bound: " + Texts.bytes(thresholds.streamLagBytes()) + " (alerts.stream-lag-mib)",
                "check that cellar wal stream runs and reaches the repository; SELECT * FROM pg_stat_replication shows its "
                        + "write and flush positions",
                null));
    }
}
