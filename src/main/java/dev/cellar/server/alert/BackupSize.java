package dev.cellar.server.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * A finished backup's size, for the size-deviation condition.
 *
 * @param kind what makes backups comparable besides the database, e.g. {@code logical}, {@code physical-full}
 */
public record BackupSize(String database, String kind, String backupId, Instant finished, long bytes) {
    public BackupSize {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(finished, "finished");
    }
}
