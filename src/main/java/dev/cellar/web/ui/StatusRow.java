package dev.cellar.web.ui;

import java.time.Duration;
import java.time.Instant;

/**
 * One line of the status board: a database and backup type, judged as {@code backup_monitoring} judges it.
 *
 * @param status        OK, WARNING or CRITICAL, from backup_monitoring
 * @param lastSuccess   start of the newest successful backup of this type; null when none ever succeeded
 * @param rpo           how far back a restore of the database would go now (now minus its newest recoverable
 *                      point); null when nothing can be restored
 * @param rpoObjective  the recovery point objective configured for the database
 * @param walLag        now minus the newest archived WAL segment; null when not observed (no archiving, or the
 *                      server has not looked yet)
 * @param copiesBehind  backups the repository copies lack, summed over the copies; null until observed
 * @param nextRun       the next scheduled run of this backup type; null when not scheduled
 */
public record StatusRow(String database, String backupType, String status, Instant lastSuccess, Duration age, Duration rpo,
        Duration rpoObjective, Duration walLag, Long copiesBehind, Instant nextRun) {

    /** Whether the recovery point is within its objective; false when nothing can be restored at all. */
    public boolean rpoMet() {
        return rpo != null && rpo.compareTo(rpoObjective) <= 0;
    }
}
