package dev.cellar.drill.check;

import dev.cellar.verify.ForeignKeyCheck;
import dev.cellar.verify.ForeignKeyOrphanCheck;
import dev.cellar.verify.RestoredRowCounts;
import dev.cellar.verify.RowCountComparison;
import dev.cellar.verify.TableCheck;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The consistency checks a drill runs on every restored copy before it calls the copy ready for
 * the application (docs/drills.md, docs/drill-checks.md). Each check reports on its own; one failing
 * does not stop the rest.
 */
public final class RestoredCopyChecks {
    private final Path configuredCheckSet;

    /** With the check set shipped for the target's database, if Cellar ships one. */
    public RestoredCopyChecks() {
        this(null);
    }

    /** @param configuredCheckSet the {@code drill.checks} file, which replaces the shipped set; null for the shipped one */
    public RestoredCopyChecks(Path configuredCheckSet) {
        this.configuredCheckSet = configuredCheckSet;
    }

    /** Every check, in the order a DBA reads them, the performance comparison last. */
    public List<CheckResult> run(CheckTarget target) {
        return runAll(target).results();
    }

    /**
     * Every check and the performance figures. The check set is read first, so a broken
     * drill.checks file fails the drill before any check runs (CONFIG_INVALID with its line).
     */
    public CheckReport runAll(CheckTarget target) {
        CheckSet set = CheckSetChoice.of(configuredCheckSet, target.database());
        List<CheckResult> results = new ArrayList<>();
        try (Connection restored = target.restored().connect()) {
            results.addAll(rowCounts(restored, target));
            results.addAll(foreignKeys(restored));
            results.addAll(SequenceCheck.run(restored));
            results.addAll(AmcheckCheck.run(restored, target.restored(), target.binDir()));
            results.addAll(set.invariants().isEmpty()
                    ? List.of(CheckResult.skipped("invariant", "", set.source() + "; set drill.checks to a check set with invariants:"))
                    : InvariantCheck.run(restored, set));
        } catch (SQLException e) {
            throw target.restored().unreachable(e);
        }
        PerformanceReport performance = new PerformanceComparison(set).run(target);
        results.add(performance.verdict());
        return new CheckReport(results, performance.timings());
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
