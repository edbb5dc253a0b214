package dev.cellar.lifecycle.archive;

import dev.cellar.lifecycle.TableName;
import dev.cellar.pg.SnapshotSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DDL an archive carries so its tables can be created again anywhere: schemas, the enum and
 * domain types the columns use, each table as a plain table (columns, types, NOT NULL, primary key)
 * and, after a marker line, the foreign keys among the archived tables. Built from pg_catalog
 * rather than pg_dump: pg_dump -t leaves out the enum types a table needs and keeps partitioning,
 * triggers and defaults that call functions the archive does not hold. An archive is for reading
 * rows back, so plain tables are what it restores.
 */
public final class ArchiveSchema {
    /** The line of schema.sql after which come the foreign keys, to run once the rows are loaded. */
    public static final String FOREIGN_KEYS_MARKER = "-- cellar-archive: foreign keys, to run after the rows are loaded";

    private static final String COLUMNS_SQL = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, t.typtype, tn.nspname, t.typname,
                   CASE t.typtype WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
                   CASE t.typtype WHEN 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
             WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum
            """;
    private static final String CONSTRAINTS_SQL = """
            SELECT k.conname, k.contype, pg_get_constraintdef(k.oid), fn.nspname, f.relname
              FROM pg_constraint k LEFT JOIN pg_class f ON f.oid = k.confrelid LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace
             WHERE k.conrelid = ?::regclass AND k.contype IN ('p', 'f') AND k.conparentid = 0
             ORDER BY k.conname
            """;

    private final String sql;
    private final Map<TableName, List<ArchiveManifest.Column>> columns;

    private ArchiveSchema(String sql, Map<TableName, List<ArchiveManifest.Column>> columns) {
        this.sql = sql;
        this.columns = columns;
    }

    /** The schema.sql text. */
    public String sql() {
        return sql;
    }

    public List<ArchiveManifest.Column> columnsOf(TableName table) {
        return columns.get(table);
    }

    static ArchiveSchema read(Connection database, Set<TableName> tables) throws SQLException {
        Set<String> schemas = new TreeSet<>();
        Map<String, String> types = new LinkedHashMap<>();
        List<String> creates = new ArrayList<>();
        List<String> foreignKeys = new ArrayList<>();
        Map<TableName, List<ArchiveManifest.Column>> columns = new LinkedHashMap<>();
        for (TableName table : new TreeSet<>(tables)) {
            schemas.add(table.schema());
            List<String> lines = new ArrayList<>();
            List<ArchiveManifest.Column> tableColumns = new ArrayList<>();
            try (PreparedStatement st = database.prepareStatement(COLUMNS_SQL)) {
                st.setString(1, table.quoted());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString(2);
                        String typtype = rs.getString(4);
                        if ("e".equals(typtype) || "d".equals(typtype)) {
                            String typeName = q(rs.getString(5)) + "." + q(rs.getString(6));
                            type = typeName;
                            schemas.add(rs.getString(5));
                            types.putIfAbsent(typeName, "e".equals(typtype) ? enumType(typeName, (String[]) rs.getArray(8).getArray())
                                    : "DO $$ BEGIN CREATE DOMAIN " + typeName + " AS " + rs.getString(7)
                                            + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$;");
                        }
                        tableColumns.add(new ArchiveManifest.Column(rs.getString(1), type));
                        lines.add("    " + q(rs.getString(1)) + " " + type + (rs.getBoolean(3) ? " NOT NULL" : ""));
                    }
                }
            }
            try (PreparedStatement st = database.prepareStatement(CONSTRAINTS_SQL)) {
                st.setString(1, table.quoted());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if ("p".equals(rs.getString(2))) {
                            lines.add("    " + rs.getString(3));
                        } else if (tables.contains(new TableName(rs.getString(4), rs.getString(5)))) {
                            foreignKeys.add("ALTER TABLE " + table.quoted() + " ADD CONSTRAINT " + q(rs.getString(1)) + " "
                                    + qualifiedReference(rs.getString(3), new TableName(rs.getString(4), rs.getString(5))) + ";");
                        }
                    }
                }
            }
            columns.put(table, List.copyOf(tableColumns));
            creates.add("CREATE TABLE " + table.quoted() + " (\n" + String.join(",\n", lines) + "\n);");
        }
        StringBuilder text = new StringBuilder("-- Tables of a Cellar archive, as plain tables (docs/archives.md).\n");
        for (String schema : schemas) {
            text.append("CREATE SCHEMA IF NOT EXISTS ").append(q(schema)).append(";\n");
        }
        types.values().forEach(t -> text.append(t).append('\n'));
        creates.forEach(c -> text.append(c).append('\n'));
        text.append(FOREIGN_KEYS_MARKER).append('\n');
        foreignKeys.forEach(f -> text.append(f).append('\n'));
        return new ArchiveSchema(text.toString(), columns);
    }

    private static String enumType(String typeName, String[] labels) {
        List<String> quoted = new ArrayList<>();
        for (String label : labels) {
            quoted.add("'" + label.replace("'", "''") + "'");
        }
        return "DO $$ BEGIN CREATE TYPE " + typeName + " AS ENUM (" + String.join(", ", quoted)
                + "); EXCEPTION WHEN duplicate_object THEN NULL; END $$;";
    }

    // pg_get_constraintdef names the referenced table as the search_path sees it; the restore's search_path may differ
    private static String qualifiedReference(String definition, TableName referenced) {
        int at = definition.indexOf(" REFERENCES ");
        int open = definition.indexOf('(', at);
        if (at < 0 || open < 0) {
            return definition;
        }
        return definition.substring(0, at) + " REFERENCES " + referenced.quoted() + definition.substring(open);
    }

    private static String q(String identifier) {
        return SnapshotSession.quoteIdentifier(identifier);
    }
}
