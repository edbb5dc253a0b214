package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only REPEATABLE READ transaction whose snapshot is exported, so pg_dump
 * ({@code --snapshot}) and Cellar's own catalog queries and row counts see exactly the same
 * database state. The snapshot lives as long as this session is open.
 */
public final class SnapshotSession implements AutoCloseable {
    private final Connection connection;
    private final String snapshotId;

    private SnapshotSession(Connection connection, String snapshotId) {
        this.connection = connection;
        this.snapshotId = snapshotId;
    }

    public static SnapshotSession open(PgConnectionSpec spec) {
        Connection connection = spec.connect();
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                try (ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    return new SnapshotSession(connection, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot export a snapshot of " + spec.describe() + ": " + e.getMessage(),
                    "the backup role needs to be able to log in and read the database; on a standby, use a primary or PG ≥ 10", e);
        }
    }

    public String snapshotId() {
        return snapshotId;
    }

    /** A user table as the snapshot sees it, with what depends on it. */
    public record TableInfo(String schema, String name, boolean partitioned, String partitionOf, List<String> indexes,
                            List<String> constraints, List<String> triggers, List<String> sequences, List<String> referencedBy,
                            List<String> dependentViews) {
    }

    private static final String TABLES_SQL = """
            SELECT n.nspname, c.relname, c.relkind = 'p',
                   (SELECT pn.nspname || '.' || p.relname FROM pg_inherits i
                      JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                     WHERE i.inhrelid = c.oid AND c.relispartition),
                   ARRAY(SELECT ic.relname FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                          WHERE x.indrelid = c.oid
                            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = c.oid)
                          ORDER BY 1),
                   ARRAY(SELECT k.conname FROM pg_constraint k WHERE k.conrelid = c.oid ORDER BY 1),
                   ARRAY(SELECT t.tgname FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal ORDER BY 1),
                   ARRAY(SELECT s.relname FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
                          WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                            AND d.refobjid = c.oid AND s.relkind = 'S' AND d.deptype IN ('a', 'i') ORDER BY 1),
                   ARRAY(SELECT fn.nspname || '.' || f.relname || ' ' || k.conname FROM pg_constraint k
                          JOIN pg_class f ON f.oid = k.conrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
                          WHERE k.contype = 'f' AND k.confrelid = c.oid AND k.conrelid <> c.oid ORDER BY 1),
                   ARRAY(SELECT DISTINCT vn.nspname || '.' || v.relname FROM pg_depend d
                          JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
                          JOIN pg_namespace vn ON vn.oid = v.relnamespace
                          WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
                            AND d.refobjid = c.oid AND v.oid <> c.oid AND v.relkind IN ('v', 'm') ORDER BY 1)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname !~ '^pg_(toast|temp)'
               AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                                  AND e.objid = c.oid AND e.deptype = 'e')
             ORDER BY 1, 2
            """;

    public List<TableInfo> tables() {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(TABLES_SQL)) {
            List<TableInfo> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(new TableInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        strings(rs.getArray(5)), strings(rs.getArray(6)), strings(rs.getArray(7)), strings(rs.getArray(8)),
                        strings(rs.getArray(9)), strings(rs.getArray(10))));
            }
            return tables;
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot read the table catalog: " + e.getMessage());
        }
    }

    /** Exact row count of one table in the snapshot (a partitioned table counts its whole tree). */
    public long countRows(TableInfo table) {
        String sql = "SELECT count(*) FROM " + (table.partitioned() ? "" : "ONLY ")
                + quoteIdentifier(table.schema()) + "." + quoteIdentifier(table.name());
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot count rows of " + table.schema() + "." + table.name()
                    + ": " + e.getMessage(), "the backup role needs SELECT on every table it backs up", e);
        }
    }

    /** A catalog read that must see exactly what pg_dump sees. */
    @FunctionalInterface
    public interface SnapshotQuery<T> {
        T read(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code query} on the snapshot's own connection. Not while {@link #countRows} runs on
     * another thread: the session has one connection.
     */
    public <T> T read(SnapshotQuery<T> query) {
        try {
            return query.read(connection);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot read the catalog on the backup's snapshot: " + e.getMessage(),
                    "the backup role needs to read pg_database, pg_roles, pg_shdepend and pg_auth_members", e);
        }
    }

    public static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // read-only transaction: nothing to lose
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already gone
        }
    }
}
