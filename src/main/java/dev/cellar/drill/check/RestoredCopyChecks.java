package dev.cellar.drill.check;

import dev.cellar.verify.ForeignKeyCheck;
import dev.cellar.verify.ForeignKeyOrphanCheck;
import dev.cellar.verify.RestoredRowCounts;
import dev.cellar.verify.RowCountComparison;
import dev.cellar.verify.TableCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The consistency checks a drill runs on every restored copy before it calls the copy ready for
 * the application (docs/drills.md). Each check reports on its own; one failing does not stop the rest.
 */
public final class RestoredCopyChecks {

    /** Every check, in the order a DBA reads them. */
    public List<CheckResult> run(CheckTarget target) {
        List<CheckResult> results = new ArrayList<>();
        try (Connection restored = target.restored().connect()) {
            results.addAll(rowCounts(restored, target));
            results.addAll(foreignKeys(restored));
        } catch (SQLException e) {
            throw target.restored().unreachable(e);
        }
        return results;
    }

    private static List<CheckResult> rowCounts(Connection restored, CheckTarget target) {
        if (target.expectedTables().isEmpty()) {
            return List.of();
        }
        List<CheckResult> results = new ArrayList<>();
        for (TableCheck table : RowCountComparison.compare(target.expectedTables(), RestoredRowCounts.of(restored, target.expectedTables()))) {
            results.add(table.ok() ? CheckResult.passed("row-counts", table.table(), table.actualRows() + " rows, as at backup time")
                    : CheckResult.failed("row-counts", table.table(), table.present()
                            ? table.actualRows() + " rows restored, " + table.expectedRows() + " counted at backup time"
                            : "missing from the restored copy (" + table.expectedRows() + " rows counted at backup time)"));
        }
        return results;
    }

    private static List<CheckResult> foreignKeys(Connection restored) {
        List<CheckResult> results = new ArrayList<>();
        for (ForeignKeyCheck key : ForeignKeyOrphanCheck.run(restored)) {
            results.add(key.ok() ? CheckResult.passed("foreign-keys", key.constraint(), "no orphans in " + key.table())
                    : CheckResult.failed("foreign-keys", key.constraint(), key.orphans() + " row(s) of " + key.table()
                            + " reference no row of " + key.referencedTable()));
        }
        return results;
    }
}
