package dev.cellar.config;

import dev.cellar.server.schedule.Schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One database {@code cellar server} protects: how to reach it and when each of its jobs runs.
 * Comes from a {@code databases:} entry, or from the {@code database.*} settings when there is
 * no such section.
 *
 * @param name                short name, used in job keys ({@code full:restaurant_ordering})
 * @param connection          how to reach it
 * @param dataDir             its cluster's data directory; null when physical backups are not
 *                            configured here (then no incremental job is planned)
 * @param incremental         the physical incremental schedule, planned only with a {@code dataDir}
 * @param rpoObjectiveSeconds the recovery point objective the alerts hold it to
 * @param walStream           whether the server streams its cluster's WAL continuously (schedule.wal-stream)
 */
public record ScheduledDatabase(String name, DatabaseConfig connection, Path dataDir, ZoneId timeZone, Schedule full,
        Schedule incremental, Schedule verify, Duration timeout, int rpoObjectiveSeconds, boolean walStream) {

    public ScheduledDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(full, "full");
        Objects.requireNonNull(incremental, "incremental");
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A database whose WAL the server does not stream. */
    public ScheduledDatabase(String name, DatabaseConfig connection, Path dataDir, ZoneId timeZone, Schedule full, Schedule incremental,
            Schedule verify, Duration timeout, int rpoObjectiveSeconds) {
        this(name, connection, dataDir, timeZone, full, incremental, verify, timeout, rpoObjectiveSeconds, false);
    }

    /** Whether physical backups (and so incremental ones) are configured for this database. */
    public boolean physical() {
        return dataDir != null;
    }
}
