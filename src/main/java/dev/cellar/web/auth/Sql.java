package dev.cellar.web.auth;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The few JDBC conversions the stores share, and the one message for a catalog that cannot be used. */
final class Sql {
    private Sql() {
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static CellarException unusable(SQLException e) {
        return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot use the catalog's web users, tokens or sessions: "
                + e.getMessage(), "check that the catalog's PostgreSQL runs and that catalog.url points at it", e);
    }
}
