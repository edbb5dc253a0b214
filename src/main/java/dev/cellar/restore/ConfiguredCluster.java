package dev.cellar.restore;

import dev.cellar.pg.PgConnectionSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;

/**
 * Which cluster the configured database server is, for choosing among the physical backups of
 * several clusters in one repository. In a disaster that server may be gone: then nothing is
 * known, and the choice is left to the operator.
 */
final class ConfiguredCluster {
    private ConfiguredCluster() {
    }

    /** The server's pg_control system identifier, or empty when it cannot be asked (down, or the role may not read it). */
    static OptionalLong systemIdentifier(PgConnectionSpec server) {
        try (Connection c = server.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        } catch (SQLException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
