package dev.cellar.restore;

import java.time.Duration;
import java.util.List;

/**
 * What a restore did: which backup went where, how much, how long.
 *
 * @param foreignKeysLeftOut foreign keys of restored tables that were not created because the table
 *                           they reference is missing from the target ("schema.table constraint")
 * @param globals            roles created, database settings applied and what --no-owner skipped
 */
public record RestoreResult(String backupId, String targetDatabase, List<String> tables, long bytes, Duration duration,
                            boolean replacedExisting, List<String> foreignKeysLeftOut, GlobalsReport globals) {

    public RestoreResult(String backupId, String targetDatabase, List<String> tables, long bytes, Duration duration,
                         boolean replacedExisting, List<String> foreignKeysLeftOut) {
        this(backupId, targetDatabase, tables, bytes, duration, replacedExisting, foreignKeysLeftOut, GlobalsReport.none());
    }

    /** The same result, with what the restore did with the backup's cluster-wide objects. */
    public RestoreResult with(GlobalsReport report) {
        return new RestoreResult(backupId, targetDatabase, tables, bytes, duration, replacedExisting, foreignKeysLeftOut, report);
    }
}
