package dev.cellar.server.catalog;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * One row of {@code backup_monitoring}: a database and backup type, judged from its newest
 * successful backup. {@code lastBackup} and what follows it are null when none ever succeeded.
 */
public record MonitoringRow(String database, String backupType, Instant lastBackup, String status, BigDecimal backupSizeMb,
                            BigDecimal durationMinutes, Duration age, String backupId, Duration warningAfter, Duration criticalAfter) {
    public static final String OK = "OK";
    public static final String WARNING = "WARNING";
    public static final String CRITICAL = "CRITICAL";
}
