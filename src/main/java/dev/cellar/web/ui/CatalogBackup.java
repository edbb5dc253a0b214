package dev.cellar.web.ui;

import java.time.Duration;
import java.time.Instant;

/** A backup as the catalog logs it: what the backups page lists and the detail page heads with. */
public record CatalogBackup(String backupId, String database, String backupType, String physicalType, String status, Instant startedAt,
        Instant finishedAt, Long sizeBytes, Long storedBytes, Duration duration, Integer copies, String runBy, Instant expiredAt,
        String error) {
}
