package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The cluster-wide state of a restore target: which roles, tablespaces and databases it has; and changes to it in one transaction. */
final class TargetCatalog {
    private final PgConnectionSpec server;

    TargetCatalog(PgConnectionSpec server) {
        this.server = server;
    }

    Set<String> roles() {
        return new LinkedHashSet<>(strings("SELECT rolname FROM pg_roles ORDER BY 1"));
    }

    Set<String> tablespaces() {
        return new LinkedHashSet<>(strings("SELECT spcname FROM pg_tablespace ORDER BY 1"));
    }

    List<String> databases() {
        return strings("SELECT datname FROM pg_database ORDER BY 1");
    }

    /**
     * Whether a database holds anything of its own: relations, functions, types or extensions
     * outside the system schemas (a new cluster's {@code postgres} database holds none).
     */
    boolean holdsObjects(String database) {
        String sql = """
                SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)')
                    OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))
                    OR EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)')
                    OR EXISTS (SELECT 1 FROM pg_extension WHERE extname <> 'plpgsql')
                    OR EXISTS (SELECT 1 FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public')
                                AND nspname !~ '^pg_(toast|temp)')""";
        try (Connection c = server.withDatabase(database).connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw server.unreachable(e);
        }
    }

    /** Runs {@code statements} in one transaction: all of them take effect, or none. */
    void runInOneTransaction(List<String> statements, String doing, String hint) {
        if (statements.isEmpty()) {
            return;
        }
        try (Connection c = server.connect()) {
            c.setAutoCommit(false);
            String current = null;
            try (Statement st = c.createStatement()) {
                st.execute("SET standard_conforming_strings = on");
                for (String sql : statements) {
                    current = sql;
                    st.execute(sql);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, doing + " failed on " + server.host() + ":" + server.port()
                        + " at '" + current + "': " + firstLine(e.getMessage()) + "; nothing of it was kept", hint, e);
            }
        } catch (SQLException e) {
            throw server.unreachable(e);
        }
    }

    private List<String> strings(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw server.unreachable(e);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse("");
    }
}
