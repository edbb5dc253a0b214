package dev.cellar.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fingerprints the data of every user table, so a test can prove that a restore brought back
 * exactly the rows that were backed up. Reads whole tables: meant for test-sized databases.
 */
public final class TableChecksums {

    /** Ordinary tables, which includes the leaves of partitioned tables, outside the system schemas. */
    private static final String USER_TABLES = """
            SELECT n.nspname, c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%'
              AND n.nspname NOT LIKE 'pg\\_temp\\_%'
            ORDER BY 1, 2""";

    private TableChecksums() {
    }

    /** "schema.table" to "rowcount:md5 of the rows' text, sorted", for every user table. */
    public static Map<String, String> of(Connection c) throws SQLException {
        Map<String, String> checksums = new TreeMap<>();
        try (Statement s = c.createStatement()) {
            for (String[] table : userTables(s)) {
                String name = quoteIdent(table[0]) + "." + quoteIdent(table[1]);
                try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), md5(''))"
                        + " FROM ONLY " + name + " t")) {
                    rs.next();
                    checksums.put(table[0] + "." + table[1], rs.getLong(1) + ":" + rs.getString(2));
                }
            }
        }
        return checksums;
    }

    private static List<String[]> userTables(Statement s) throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(USER_TABLES)) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return tables;
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
