package dev.cellar.server.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@code backup_log} says for the observation.
 *
 * @param newest   the newest successful, not expired backups of each database and comparable kind
 *                 (as many as the size-deviation median needs, plus the newest itself)
 * @param retained per database, totals over its successful, not expired backups
 * @param checks   the newest verifications and restore tests
 */
public record BackupLogFacts(List<LoggedBackup> newest, List<Retained> retained, List<Check> checks) {
    public BackupLogFacts {
        newest = List.copyOf(newest);
        retained = List.copyOf(retained);
        checks = List.copyOf(checks);
    }

    /** Logical bytes of a database's retained backups and the bytes they stored. */
    public record Retained(String database, long sizeBytes, long storedBytes) {
        public Retained {
            Objects.requireNonNull(database, "database");
        }
    }

    /**
     * A finished {@code verify} (of the whole repository: database null) or {@code verify.restore-test}
     * (database: that of the backup it restored).
     *
     * @param restoreTest whether it was a restore test
     * @param error       what failed; null when it passed
     */
    public record Check(boolean restoreTest, String database, Instant finishedAt, boolean passed, String error) {
        public Check {
            Objects.requireNonNull(finishedAt, "finishedAt");
        }
    }
}
