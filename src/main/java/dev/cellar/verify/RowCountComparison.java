package dev.cellar.verify;

import dev.cellar.repo.BackupManifest.TableEntry;
import java.util.List;
import java.util.Map;

/**
 * Compares the row counts a backup recorded with those found after restoring it. Kept apart from
 * any database so that the rule (every table back, with exactly its rows) is tested on plain data.
 */
public final class RowCountComparison {
    private RowCountComparison() {
    }

    /**
     * @param expected the tables of the backup's manifest
     * @param actual   row counts after the restore, by "schema.name"; a table absent here is missing
     * @return one check per expected table, in the manifest's order
     */
    public static List<TableCheck> compare(List<TableEntry> expected, Map<String, Long> actual) {
        return expected.stream().map(table -> {
            Long rows = actual.get(table.qualifiedName());
            return rows == null ? new TableCheck(table.qualifiedName(), table.rows(), -1, false)
                    : new TableCheck(table.qualifiedName(), table.rows(), rows, true);
        }).toList();
    }

    static List<TableCheck> mismatches(List<TableCheck> checks) {
        return checks.stream().filter(check -> !check.ok()).toList();
    }
}
