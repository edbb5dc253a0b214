package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@link ForeignKeyGraph} of the database a connection points at, from pg_catalog. */
public final class ForeignKeyCatalog {

    /*
     * conparentid = 0 keeps one row per key: a key declared on a partitioned table, or pointing at
     * one, is cloned into pg_constraint for every partition, and the clones add nothing the
     * partitioned table's key does not say. Column lists are unnested WITH ORDINALITY because the
     * order of a composite key is the order of conkey, not of the table's columns.
     */
    private static final String FOREIGN_KEYS_SQL = """
            SELECT k.conname, cn.nspname, c.relname,
                   ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord),
                   pn.nspname, p.relname,
                   ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.ord),
                   k.confdeltype, k.condeferrable, k.condeferred
              FROM pg_constraint k
              JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
              JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
             WHERE k.contype = 'f' AND k.conparentid = 0
               AND cn.nspname NOT IN ('pg_catalog', 'information_schema') AND cn.nspname !~ '^pg_(toast|temp)'
             ORDER BY cn.nspname, c.relname, k.conname
            """;

    // partitions are left out: their primary key is their parent's, and the graph names the parent
    private static final String PRIMARY_KEYS_SQL = """
            SELECT n.nspname, c.relname,
                   ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.attnum ORDER BY u.ord)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE i.indisprimary AND NOT c.relispartition
               AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
            """;

    private ForeignKeyCatalog() {
    }

    public static ForeignKeyGraph read(Connection database) {
        try (Statement st = database.createStatement()) {
            List<ForeignKey> keys = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(FOREIGN_KEYS_SQL)) {
                while (rs.next()) {
                    keys.add(new ForeignKey(rs.getString(1), new TableName(rs.getString(2), rs.getString(3)), strings(rs.getArray(4)),
                            new TableName(rs.getString(5), rs.getString(6)), strings(rs.getArray(7)),
                            DeleteAction.ofCatalogCode(rs.getString(8).charAt(0)), rs.getBoolean(9), rs.getBoolean(10)));
                }
            }
            Map<TableName, List<String>> primaryKeys = new HashMap<>();
            try (ResultSet rs = st.executeQuery(PRIMARY_KEYS_SQL)) {
                while (rs.next()) {
                    primaryKeys.put(new TableName(rs.getString(1), rs.getString(2)), strings(rs.getArray(3)));
                }
            }
            return new ForeignKeyGraph(keys, primaryKeys);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot read the foreign keys from pg_catalog: " + e.getMessage(),
                    "check that the database is up and that Cellar's role may read pg_catalog", e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
