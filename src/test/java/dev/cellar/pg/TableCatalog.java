package dev.cellar.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The catalog rows that describe a table, as text without OIDs: its pg_class flags and options
 * (RLS enabled and forced, replica identity, storage parameters, owner, grants), its columns
 * (statistics targets, storage, identity, column grants, comments, defaults), policies, indexes,
 * constraints, the foreign keys pointing at it, triggers, extended statistics, publication
 * membership, owned sequences with their values, partitions, and the views and materialized
 * views built on it (with their definitions, grants, comments, indexes and triggers). A test takes
 * it before a table is dropped and after it is restored, and the two must be equal.
 */
public final class TableCatalog {
    private static final Map<String, String> QUERIES = new java.util.LinkedHashMap<>();

    static {
        QUERIES.put("class", """
                SELECT c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.relreplident, c.reloptions,
                       pg_get_userbyid(c.relowner), c.relacl, c.relispartition, pg_get_expr(c.relpartbound, c.oid),
                       obj_description(c.oid, 'pg_class'), (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid)
                  FROM pg_class c WHERE c.oid = $1""");
        QUERIES.put("column", """
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attstattarget, a.attstorage, a.attidentity,
                       a.attgenerated, a.attacl, col_description(a.attrelid, a.attnum), pg_get_expr(d.adbin, d.adrelid)
                  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped""");
        QUERIES.put("policy", """
                SELECT p.polname, p.polcmd, p.polpermissive,
                       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END FROM unnest(p.polroles) r ORDER BY 1),
                       pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
                  FROM pg_policy p WHERE p.polrelid = $1""");
        QUERIES.put("index", """
                SELECT i.relname, pg_get_indexdef(x.indexrelid), x.indisprimary, x.indisunique, x.indisreplident, x.indisclustered,
                       x.indisvalid, i.reloptions, obj_description(i.oid, 'pg_class')
                  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = $1""");
        QUERIES.put("constraint", """
                SELECT k.conname, pg_get_constraintdef(k.oid), k.convalidated, k.condeferrable, obj_description(k.oid, 'pg_constraint')
                  FROM pg_constraint k WHERE k.conrelid = $1""");
        QUERIES.put("referenced by", """
                SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid), k.convalidated
                  FROM pg_constraint k WHERE k.confrelid = $1 AND k.conrelid <> $1 AND k.conparentid = 0""");
        QUERIES.put("trigger", """
                SELECT t.tgname, pg_get_triggerdef(t.oid), t.tgenabled FROM pg_trigger t WHERE t.tgrelid = $1 AND NOT t.tgisinternal""");
        QUERIES.put("statistics", """
                SELECT s.stxname, pg_get_statisticsobjdef(s.oid), s.stxstattarget, pg_get_userbyid(s.stxowner)
                  FROM pg_statistic_ext s WHERE s.stxrelid = $1""");
        QUERIES.put("publication", """
                SELECT p.pubname, pg_get_expr(r.prqual, r.prrelid), r.prattrs
                  FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = $1""");
        QUERIES.put("owned sequence", """
                SELECT s.oid::regclass::text, q.seqstart, q.seqincrement, q.seqmax, q.seqmin, q.seqcache, q.seqcycle,
                       pg_get_userbyid(s.relowner), s.relacl, v.last_value
                  FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                  JOIN pg_sequence q ON q.seqrelid = s.oid JOIN pg_namespace n ON n.oid = s.relnamespace
                  LEFT JOIN pg_sequences v ON v.schemaname = n.nspname AND v.sequencename = s.relname
                 WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = $1
                   AND d.deptype IN ('a', 'i')""");
        QUERIES.put("partition", """
                SELECT i.inhrelid::regclass::text, pg_get_expr(c.relpartbound, c.oid)
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1""");
        QUERIES.put("rule", """
                SELECT r.rulename, pg_get_ruledef(r.oid), r.ev_enabled FROM pg_rewrite r WHERE r.ev_class = $1 AND r.rulename <> '_RETURN'""");
        QUERIES.put("dependent view", """
                WITH RECURSIVE dependent(oid) AS (
                    SELECT DISTINCT r.ev_class FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                     WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = $1
                       AND r.ev_class <> $1
                    UNION
                    SELECT r.ev_class FROM dependent v JOIN pg_depend d ON d.refobjid = v.oid AND d.refclassid = 'pg_class'::regclass
                      JOIN pg_rewrite r ON r.oid = d.objid AND d.classid = 'pg_rewrite'::regclass WHERE r.ev_class <> v.oid)
                SELECT v.oid::regclass::text, v.relkind, pg_get_viewdef(v.oid), v.reloptions, pg_get_userbyid(v.relowner), v.relacl,
                       obj_description(v.oid, 'pg_class'), v.relispopulated,
                       ARRAY(SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x WHERE x.indrelid = v.oid ORDER BY 1),
                       ARRAY(SELECT pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text FROM pg_trigger t WHERE t.tgrelid = v.oid ORDER BY 1)
                  FROM dependent JOIN pg_class v ON v.oid = dependent.oid""");
        QUERIES.put("dependent policy", """
                SELECT p.polrelid::regclass::text, p.polname, pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
                  FROM pg_depend d JOIN pg_policy p ON p.oid = d.objid
                 WHERE d.classid = 'pg_policy'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = $1
                   AND p.polrelid <> $1""");
    }

    private TableCatalog() {
    }

    /** Per "schema.table" of {@code tables}, the sorted lines that describe it. */
    public static Map<String, List<String>> of(Connection c, List<String> tables) throws SQLException {
        Map<String, List<String>> catalog = new TreeMap<>();
        try (Statement st = c.createStatement()) {
            // regclass and expressions print qualified the same way on both sides of the comparison
            st.execute("SET search_path = pg_catalog");
        }
        for (String table : tables) {
            catalog.put(table, describe(c, table));
        }
        return catalog;
    }

    private static List<String> describe(Connection c, String qualifiedName) throws SQLException {
        long oid;
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname || '.' || c.relname = ?")) {
            ps.setString(1, qualifiedName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of("missing");
                }
                oid = rs.getLong(1);
            }
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> query : QUERIES.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement(query.getValue().replace("$1", "?::oid"))) {
                int parameters = ps.getParameterMetaData().getParameterCount();
                for (int i = 1; i <= parameters; i++) {
                    ps.setLong(i, oid);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder line = new StringBuilder(query.getKey()).append(':');
                        for (int i = 1; i <= columns; i++) {
                            line.append(' ').append(rs.getString(i));
                        }
                        lines.add(line.toString());
                    }
                }
            }
        }
        lines.sort(null);
        return lines;
    }
}
