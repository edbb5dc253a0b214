package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What Cellar needs to know about a running server before it picks binaries and starts work. */
public record PgServerInfo(PgVersion version, String versionString) {

    public static PgServerInfo query(PgConnectionSpec spec) {
        try (Connection c = spec.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('server_version')")) {
            rs.next();
            return new PgServerInfo(PgVersion.fromServerVersionNum(rs.getInt(1)), rs.getString(2));
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot read the server version of " + spec.describe() + ": "
                    + e.getMessage());
        }
    }
}
