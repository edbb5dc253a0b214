package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the user tables of a live database from pg_catalog into a {@link SchemaSnapshot}: ordinary
 * and partitioned tables outside the system schemas, never their partitions (whose rows the
 * parent's policy already covers and whose names change every month).
 */
public final class SchemaSnapshotReader {
    private static final String USER_TABLES = """
            c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            """;
    private static final String COLUMNS = """
            SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            """ + " WHERE " + USER_TABLES + " ORDER BY n.nspname, c.relname, a.attnum";
    private static final String FOREIGN_KEYS = """
            SELECT n.nspname, c.relname, rn.nspname, r.relname
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
            """ + " WHERE k.contype = 'f' AND k.conparentid = 0 AND " + USER_TABLES;

    private SchemaSnapshotReader() {
    }

    public static SchemaSnapshot read(Connection c) {
        try (Statement st = c.createStatement()) {
            Map<TableName, List<SchemaColumn>> columns = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery(COLUMNS)) {
                while (rs.next()) {
                    columns.computeIfAbsent(name(rs.getString(1), rs.getString(2)), t -> new ArrayList<>())
                            .add(new SchemaColumn(rs.getString(3), rs.getString(4), rs.getBoolean(5)));
                }
            }
            Map<TableName, Set<TableName>> references = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery(FOREIGN_KEYS)) {
                while (rs.next()) {
                    references.computeIfAbsent(name(rs.getString(1), rs.getString(2)), t -> new HashSet<>())
                            .add(name(rs.getString(3), rs.getString(4)));
                }
            }
            List<SchemaTable> tables = new ArrayList<>();
            columns.forEach((table, cols) -> tables.add(new SchemaTable(table, cols, references.getOrDefault(table, Set.of()))));
            return new SchemaSnapshot(tables);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "reading the tables of the database failed: " + e.getMessage(),
                    "check that the user may read pg_catalog and that the database is up", e);
        }
    }

    private static TableName name(String schema, String table) {
        return new TableName(schema, table);
    }
}
