package dev.cellar.drill.check;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares every sequence owned by a column (pg_depend 'a' for serial, 'i' for identity) with the
 * column's max (or min, for a descending sequence) on the restored copy.
 */
final class SequenceCheck {

    private static final String OWNED_SEQUENCES_SQL = """
            SELECT format('%I.%I', sn.nspname, s.relname), format('%I.%I', tn.nspname, t.relname), quote_ident(a.attname),
                   format('%I.%I.%I', tn.nspname, t.relname, a.attname), seq.seqincrement
              FROM pg_depend d
              JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
              JOIN pg_namespace sn ON sn.oid = s.relnamespace
              JOIN pg_sequence seq ON seq.seqrelid = s.oid
              JOIN pg_class t ON t.oid = d.refobjid
              JOIN pg_namespace tn ON tn.oid = t.relnamespace
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
             WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
               AND sn.nspname NOT IN ('pg_catalog', 'information_schema')
             ORDER BY 1
            """;

    private SequenceCheck() {
    }

    static List<CheckResult> run(Connection c) {
        List<CheckResult> results = new ArrayList<>();
        List<String[]> owned = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(OWNED_SEQUENCES_SQL)) {
            while (rs.next()) {
                owned.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Long.toString(rs.getLong(5))});
            }
        } catch (SQLException e) {
            return List.of(CheckResult.failed("sequences", "", "cannot list the sequences: " + e.getMessage()));
        }
        for (String[] o : owned) {
            results.add(one(c, o[0], o[1], o[2], o[3], Long.parseLong(o[4])));
        }
        return results;
    }

    private static CheckResult one(Connection c, String sequence, String table, String column, String qualifiedColumn, long increment) {
        try (Statement st = c.createStatement()) {
            long lastValue;
            boolean isCalled;
            try (ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + sequence)) {
                rs.next();
                lastValue = rs.getLong(1);
                isCalled = rs.getBoolean(2);
            }
            try (ResultSet rs = st.executeQuery("SELECT max(" + column + ")::numeric, min(" + column + ")::numeric FROM " + table)) {
                rs.next();
                return new SequenceState(sequence, qualifiedColumn, lastValue, isCalled, increment, rs.getBigDecimal(1), rs.getBigDecimal(2))
                        .verdict();
            }
        } catch (SQLException e) {
            return CheckResult.failed("sequences", sequence, "cannot compare " + sequence + " with " + qualifiedColumn + ": " + e.getMessage());
        }
    }
}
