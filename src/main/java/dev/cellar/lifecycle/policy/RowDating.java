package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

/**
 * What dates a row for its category's retention: a column of the row itself (a payment's
 * {@code paid_at}), or a column of the row it references through a foreign key (an activity row
 * is due two years after its user's {@code last_active_at}, not after its own time).
 */
public sealed interface RowDating {
    /** The column whose value, plus the retention, is the day the row is due. */
    String column();

    /** The row's own column. */
    record OwnColumn(String column) implements RowDating {
        @Override
        public String toString() {
            return column;
        }
    }

    /** A column of the table this row references through a foreign key. */
    record ReferencedColumn(TableName table, String column) implements RowDating {
        @Override
        public String toString() {
            return column + " of " + table;
        }
    }
}
