package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.ArchiveToc;
import java.util.List;

/**
 * What a table restore will do, decided before the target is touched.
 *
 * @param entries            archive entries to restore, in archive order: the tables, everything that
 *                           belongs to them, and the objects that depend on them
 * @param tableParts         of {@code entries}, those that belong to a table (its indexes, constraints,
 *                           policies…), which the table's own DROP takes along
 * @param recreated          objects of the target that depend on the tables and equal the backup's: dropped
 *                           and created again from the backup in the same transaction ("VIEW reporting.overdrawn")
 * @param added              objects that depend on the tables, are missing from the target and come from the backup
 * @param leftOut            objects of the backup not restored, each with the reason
 * @param foreignKeysLeftOut of {@code leftOut}, the foreign keys of the tables whose referenced table is missing
 *                           from the target ("schema.table constraint")
 * @param conflicts          objects of the target that depend on the tables but cannot be re-created as they are
 *                           (created after the backup, changed since, or holding rows), each with the reason;
 *                           when not empty, nothing may be restored
 */
public record TableRestorePlan(List<ArchiveToc.Entry> entries, List<ArchiveToc.Entry> tableParts, List<String> recreated, List<String> added, List<String> leftOut,
                               List<String> foreignKeysLeftOut, List<String> conflicts) {

    /** Refuses, naming each conflict, when the target holds dependents the restore would change. */
    public void requireNoConflicts(List<String> tables, String database) {
        if (conflicts.isEmpty()) {
            return;
        }
        throw new CellarException(ErrorCode.TARGET_EXISTS, "restoring table(s) " + String.join(", ", tables) + " into database " + database
                + " would drop objects that depend on them and could not bring them back as they are now, so nothing was changed:\n  "
                + String.join("\n  ", conflicts),
                "drop those objects, or bring them back to their definition in the backup (the restore re-creates them from it); "
                        + "or restore into another database (--target-db) and copy the rows you need");
    }

    /** The list file pg_restore {@code --use-list} reads: one line per entry, in restore order. */
    public List<String> listFile() {
        return entries.stream().map(ArchiveToc.Entry::listLine).toList();
    }
}
