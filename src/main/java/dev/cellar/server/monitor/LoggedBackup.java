package dev.cellar.server.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * A successful, not expired backup as {@code backup_log} records it.
 *
 * @param backupType   {@code logical} or {@code physical}
 * @param physicalType {@code full} or {@code incremental} for a physical backup; null otherwise or when unknown
 * @param sizeBytes    its logical size; null when its manifest was not read
 * @param storedBytes  the new bytes it stored; null when unknown
 */
public record LoggedBackup(String database, String backupType, String physicalType, String backupId, Instant startedAt,
        Instant finishedAt, Long sizeBytes, Long storedBytes) {
    public LoggedBackup {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(backupType, "backupType");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** What makes backups comparable besides the database: {@code logical}, {@code physical-full}, {@code physical-incremental}. */
    public String comparableKind() {
        return physicalType == null ? backupType : backupType + "-" + physicalType;
    }

    /**
     * The instant its data is as of. A logical dump reads one snapshot taken when it starts, so its
     * start; a physical backup is consistent only at its end (the stop point), so its end.
     */
    public Instant consistentAt() {
        return "logical".equals(backupType) || finishedAt == null ? startedAt : finishedAt;
    }
}
