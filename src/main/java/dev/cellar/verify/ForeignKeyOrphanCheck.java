package dev.cellar.verify;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.SnapshotSession;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Counts, for every validated foreign key of a database, the referencing rows that have no
 * referenced row. Rows with a null in any key column are exempt, as PostgreSQL's default MATCH
 * SIMPLE exempts them (under MATCH FULL a partly null key cannot exist, so the same rule holds).
 * Keys added NOT VALID and never validated are skipped: the source may hold orphans there
 * legitimately, and pg_restore brings them back as they were.
 */
public final class ForeignKeyOrphanCheck {

    /** A foreign key as the catalog describes it; the column lists pair up by position. */
    record ForeignKey(String constraint, String schema, String table, boolean partitioned, List<String> columns,
                      String referencedSchema, String referencedTable, boolean referencedPartitioned, List<String> referencedColumns) {
    }

    /*
     * conparentid = 0 keeps one row per foreign key: a key declared on a partitioned table (or
     * pointing at one) is cloned into pg_constraint for each partition, and the clones' rows are
     * already counted through the partitioned table.
     */
    private static final String FOREIGN_KEYS_SQL = """
            SELECT k.conname, cn.nspname, c.relname, c.relkind = 'p',
                   ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord),
                   pn.nspname, p.relname, p.relkind = 'p',
                   ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.ord)
              FROM pg_constraint k
              JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
              JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
             WHERE k.contype = 'f' AND k.conparentid = 0 AND k.convalidated
               AND cn.nspname NOT IN ('pg_catalog', 'information_schema') AND cn.nspname !~ '^pg_(toast|temp)'
             ORDER BY cn.nspname, c.relname, k.conname
            """;

    private ForeignKeyOrphanCheck() {
    }

    public static List<ForeignKeyCheck> run(Connection database) {
        try {
            List<ForeignKeyCheck> checks = new ArrayList<>();
            for (ForeignKey key : foreignKeys(database)) {
                checks.add(new ForeignKeyCheck(key.constraint(), key.schema() + "." + key.table(),
                        key.referencedSchema() + "." + key.referencedTable(), count(database, orphanCountSql(key))));
            }
            return checks;
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "cannot check the foreign keys of the restored database: "
                    + e.getMessage(), null, e);
        }
    }

    /** {@code SELECT count(*)} of the rows of the referencing table that break {@code key}. */
    static String orphanCountSql(ForeignKey key) {
        String keySet = key.columns().stream().map(c -> "child." + SnapshotSession.quoteIdentifier(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        String match = IntStream.range(0, key.columns().size())
                .mapToObj(i -> "parent." + SnapshotSession.quoteIdentifier(key.referencedColumns().get(i))
                        + " = child." + SnapshotSession.quoteIdentifier(key.columns().get(i)))
                .collect(Collectors.joining(" AND "));
        return "SELECT count(*) FROM " + TableScope.of(key.schema(), key.table(), key.partitioned()) + " AS child"
                + " WHERE " + keySet
                + " AND NOT EXISTS (SELECT 1 FROM " + TableScope.of(key.referencedSchema(), key.referencedTable(), key.referencedPartitioned())
                + " AS parent WHERE " + match + ")";
    }

    private static List<ForeignKey> foreignKeys(Connection database) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        try (Statement st = database.createStatement(); ResultSet rs = st.executeQuery(FOREIGN_KEYS_SQL)) {
            while (rs.next()) {
                keys.add(new ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), strings(rs.getArray(5)),
                        rs.getString(6), rs.getString(7), rs.getBoolean(8), strings(rs.getArray(9))));
            }
        }
        return keys;
    }

    private static long count(Connection database, String sql) throws SQLException {
        try (Statement st = database.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
