package dev.cellar.restore;

import dev.cellar.lifecycle.erasure.ErasureReapplication;
import java.time.Duration;
import java.util.List;

/**
 * What a restore did: which backup went where, how much, how long. The lists describe a table
 * restore and are empty for a whole database.
 *
 * @param foreignKeysLeftOut  foreign keys of restored tables that were not created because the table
 *                            they reference is missing from the target ("schema.table constraint")
 * @param dependentsRecreated objects of the target built on the restored tables, dropped and created
 *                            again from the backup, unchanged ("VIEW reporting.overdrawn")
 * @param dependentsAdded     objects built on the restored tables that the target lacked and the backup brought
 * @param leftOut             objects of the backup not restored, each with the reason
 * @param globals             roles created, database settings applied and what --no-owner skipped
 * @param erasures            what re-applying the erasure ledger did before the database was handed over; null when the
 *                            restore was not asked to (a restore test)
 * @param rowsStreamed        whether the rows went from the repository straight into COPY (a whole database whose
 *                            archive allows it), not through a temporary archive file read by pg_restore
 */
public record RestoreResult(String backupId, String targetDatabase, List<String> tables, long bytes, Duration duration,
                            boolean replacedExisting, List<String> foreignKeysLeftOut, List<String> dependentsRecreated,
                            List<String> dependentsAdded, List<String> leftOut, GlobalsReport globals, ErasureReapplication erasures,
                            boolean rowsStreamed) {

    public RestoreResult(String backupId, String targetDatabase, List<String> tables, long bytes, Duration duration,
                         boolean replacedExisting, List<String> foreignKeysLeftOut, List<String> dependentsRecreated,
                         List<String> dependentsAdded, List<String> leftOut, GlobalsReport globals) {
        this(backupId, targetDatabase, tables, bytes, duration, replacedExisting, foreignKeysLeftOut, dependentsRecreated, dependentsAdded,
                leftOut, globals, null, false);
    }

    public RestoreResult(String backupId, String targetDatabase, List<String> tables, long bytes, Duration duration,
                         boolean replacedExisting, List<String> foreignKeysLeftOut, List<String> dependentsRecreated,
                         List<String> dependentsAdded, List<String> leftOut) {
        this(backupId, targetDatabase, tables, bytes, duration, replacedExisting, foreignKeysLeftOut, dependentsRecreated, dependentsAdded,
                leftOut, GlobalsReport.none());
    }

    /** The same result, with what the restore did with the backup's cluster-wide objects. */
    public RestoreResult with(GlobalsReport report) {
        return new RestoreResult(backupId, targetDatabase, tables, bytes, duration, replacedExisting, foreignKeysLeftOut,
                dependentsRecreated, dependentsAdded, leftOut, report, erasures, rowsStreamed);
    }

    /** The same result, with what re-applying the erasure ledger did. */
    public RestoreResult with(ErasureReapplication reapplied) {
        return new RestoreResult(backupId, targetDatabase, tables, bytes, duration, replacedExisting, foreignKeysLeftOut,
                dependentsRecreated, dependentsAdded, leftOut, globals, reapplied, rowsStreamed);
    }

    /** The same result, saying the rows were streamed into COPY. */
    public RestoreResult streamed() {
        return new RestoreResult(backupId, targetDatabase, tables, bytes, duration, replacedExisting, foreignKeysLeftOut,
                dependentsRecreated, dependentsAdded, leftOut, globals, erasures, true);
    }
}
