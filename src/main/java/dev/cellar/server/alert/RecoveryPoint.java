package dev.cellar.server.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The newest moment a database could be recovered to from the repository (its newest backup, or
 * the end of the WAL archived after it), for the true-RPO condition.
 *
 * @param newestRecoverable null when nothing is recoverable at all
 * @param objective         the database's own recovery point objective; null for the configured default
 */
public record RecoveryPoint(String database, Instant newestRecoverable, Duration objective) {
    public RecoveryPoint {
        Objects.requireNonNull(database, "database");
    }
}
