package dev.cellar.server.alert;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;

/**
 * Where incident and outbox times come from. In production, the catalog database's {@code now()},
 * so several cellar server processes on different hosts agree on when a reminder is due or a
 * retry may go; tests use a fake clock.
 */
@FunctionalInterface
public interface CatalogClock {
    Instant now(Connection connection) throws SQLException;

    /** The database's own clock (the start of the current transaction). */
    static CatalogClock database() {
        return connection -> {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT now()")) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        };
    }

    /** A clock of the caller's, for tests that move time. */
    static CatalogClock of(Clock clock) {
        return connection -> clock.instant();
    }
}
