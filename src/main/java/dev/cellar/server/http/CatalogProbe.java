package dev.cellar.server.http;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Healthy while the catalog database answers a trivial query: without it the server can neither
 * claim scheduled runs nor record them.
 */
public final class CatalogProbe implements HealthProbe {
    static final String NAME = "catalog";

    private final DataSource catalog;
    private final Duration timeout;

    public CatalogProbe(DataSource catalog, Duration timeout) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public HealthCheck check() {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        try {
            catalog.setLoginTimeout(seconds);
        } catch (SQLException | UnsupportedOperationException ignored) {
            // a pool keeps its own connection timeout
        }
        try (Connection connection = catalog.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(seconds);
            statement.execute("SELECT 1");
            return new HealthCheck(NAME, true, "answers");
        } catch (SQLException e) {
            return new HealthCheck(NAME, false, "the catalog database does not answer: " + firstLine(e.getMessage())
                    + "; check that it runs and that catalog.url points at it");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
