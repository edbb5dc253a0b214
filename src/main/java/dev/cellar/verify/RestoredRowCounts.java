package dev.cellar.verify;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.BackupManifest.TableEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Exact row counts, in a restored database, of the tables a backup recorded. */
public final class RestoredRowCounts {
    private static final String RELKIND_SQL = """
            SELECT c.relkind = 'p' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')
            """;

    private RestoredRowCounts() {
    }

    /** Counts by "schema.name"; a table that is not there is left out. */
    public static Map<String, Long> of(Connection restored, List<TableEntry> tables) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement kind = restored.prepareStatement(RELKIND_SQL)) {
            for (TableEntry table : tables) {
                kind.setString(1, table.schema());
                kind.setString(2, table.name());
                try (ResultSet rs = kind.executeQuery()) {
                    if (rs.next()) {
                        counts.put(table.qualifiedName(), count(restored, TableScope.of(table.schema(), table.name(), rs.getBoolean(1))));
                    }
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "cannot count the rows of the restored tables: " + e.getMessage(),
                    null, e);
        }
    }

    private static long count(Connection restored, String fromItem) throws SQLException {
        try (Statement st = restored.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + fromItem)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
