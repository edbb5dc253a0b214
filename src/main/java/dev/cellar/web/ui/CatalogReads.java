package dev.cellar.web.ui;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** What every dashboard read of the catalog shares: the one error a page shows when the catalog cannot be read. */
final class CatalogReads {
    private CatalogReads() {
    }

    static CellarException unreadable(SQLException e) {
        return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot read the catalog: " + e.getMessage(),
                "check that the catalog's PostgreSQL runs; 'cellar catalog rebuild' refills it from the repository", e);
    }

    static Instant instant(ResultSet r, int column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Long longOrNull(ResultSet r, int column) throws SQLException {
        return r.getObject(column, Long.class);
    }
}
