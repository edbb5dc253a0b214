package dev.cellar.verify;

/**
 * One table's row count after a test restore against the count taken in the backup's snapshot.
 *
 * @param table        "schema.name"
 * @param actualRows   rows after the restore; -1 when the table is missing
 * @param present      false when the restore did not bring the table back
 */
public record TableCheck(String table, long expectedRows, long actualRows, boolean present) {

    public boolean ok() {
        return present && expectedRows == actualRows;
    }
}
