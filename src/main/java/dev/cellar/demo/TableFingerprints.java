package dev.cellar.demo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fingerprint of every user table: its row count and an md5 over its rows in a stable
 * order. Two databases with equal fingerprints hold the same data, row for row.
 */
public final class TableFingerprints {
    private TableFingerprints() {
    }

    /** "schema.table" → "rows:md5", for plain tables and partitions (partitioned parents hold no rows themselves). */
    public static Map<String, String> of(Connection connection) {
        Map<String, String> fingerprints = new TreeMap<>();
        try (Statement st = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), n.nspname || '.' || c.relname "
                    + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
                    + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)' ORDER BY 2")) {
                while (rs.next()) {
                    tables.add(rs.getString(1) + "\u0000" + rs.getString(2));
                }
            }
            for (String table : tables) {
                String[] names = table.split("\u0000");
                try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), md5('')) "
                        + "FROM ONLY " + names[0] + " t")) {
                    rs.next();
                    fingerprints.put(names[1], rs.getLong(1) + ":" + rs.getString(2));
                }
            }
            return fingerprints;
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot fingerprint tables: " + e.getMessage());
        }
    }
}
