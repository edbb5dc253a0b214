package dev.cellar.lifecycle.portability;

import dev.cellar.lifecycle.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a table's columns, in the order {@code SELECT *} returns them, with the type each is exported as. */
final class ExportColumnReader {
    /*
     * A domain is exported as the type it is built on; the recursive step unwraps a domain over a
     * domain. Dropped columns are skipped, as SELECT * skips them.
     */
    private static final String COLUMNS_SQL = """
            WITH RECURSIVE base(attnum, type_oid) AS (
                SELECT a.attnum, a.atttypid FROM pg_attribute a
                 WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
                UNION ALL
                SELECT b.attnum, t.typbasetype FROM base b JOIN pg_type t ON t.oid = b.type_oid WHERE t.typtype = 'd')
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, t.typname, t.typcategory, t.typtype
              FROM pg_attribute a
              JOIN base b ON b.attnum = a.attnum
              JOIN pg_type t ON t.oid = b.type_oid AND t.typtype <> 'd'
             WHERE a.attrelid = ?::regclass
             ORDER BY a.attnum
            """;

    private ExportColumnReader() {
    }

    static List<ExportColumn> read(Connection snapshot, TableName table) throws SQLException {
        try (PreparedStatement ps = snapshot.prepareStatement(COLUMNS_SQL)) {
            ps.setString(1, table.quoted());
            ps.setString(2, table.quoted());
            List<ExportColumn> columns = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new ExportColumn(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                            ValueKind.of(rs.getString(4), rs.getString(5).charAt(0), rs.getString(6).charAt(0))));
                }
            }
            return columns;
        }
    }
}
