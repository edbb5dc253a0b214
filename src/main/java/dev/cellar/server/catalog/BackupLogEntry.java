package dev.cellar.server.catalog;

import java.time.Duration;
import java.time.Instant;

/**
 * One row of {@code backup_log}: one operation, from its first audit record to its closing one,
 * with what the backup's manifest adds. Columns are described in docs/catalog.md.
 */
public record BackupLogEntry(
        String auditMac,
        String operation,
        String backupType,
        String physicalType,
        String database,
        String target,
        Instant startedAt,
        Instant finishedAt,
        String status,
        Long sizeBytes,
        Long storedBytes,
        Duration duration,
        Integer copies,
        String error,
        String detail,
        String backupId,
        String parentBackupId,
        Instant expiredAt,
        String runBy,
        long firstSequence,
        long lastSequence) {

    public static final String RUNNING = "running";
}
