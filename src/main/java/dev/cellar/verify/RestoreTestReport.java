package dev.cellar.verify;

import java.time.Duration;
import java.util.List;

/**
 * What {@code cellar verify --restore-test} found after restoring a backup into a scratch database
 * (already dropped when this report exists).
 *
 * @param tables      one check per table of the backup's manifest
 * @param foreignKeys one check per foreign key of the restored database
 * @param restoreTime how long the restore alone took: what a real restore of this backup would cost
 * @param ok          every table back with its recorded row count, and no foreign key broken
 */
public record RestoreTestReport(
        String backupId,
        String scratchDatabase,
        List<TableCheck> tables,
        List<ForeignKeyCheck> foreignKeys,
        Duration restoreTime,
        Duration totalTime,
        boolean ok) {

    public List<TableCheck> tableMismatches() {
        return RowCountComparison.mismatches(tables);
    }

    public List<ForeignKeyCheck> brokenForeignKeys() {
        return foreignKeys.stream().filter(key -> !key.ok()).toList();
    }
}
