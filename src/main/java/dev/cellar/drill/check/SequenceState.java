package dev.cellar.drill.check;

import java.math.BigDecimal;

/**
 * One sequence that feeds a column (serial or identity), with what the column holds. A restore
 * that brings the rows back but not the sequence's position makes the application's next insert
 * reuse a key: the classic "duplicate key value violates unique constraint" after a restore.
 *
 * @param sequence  qualified name, e.g. public.orders_id_seq
 * @param column    qualified column, e.g. public.orders.id
 * @param lastValue the sequence's last_value
 * @param isCalled  false when nextval would return last_value itself (fresh, or setval(..., false))
 * @param increment negative for a descending sequence
 * @param columnMax max(column), null when the table is empty
 * @param columnMin min(column), null when the table is empty
 */
public record SequenceState(String sequence, String column, long lastValue, boolean isCalled, long increment,
                            BigDecimal columnMax, BigDecimal columnMin) {

    /** The value the sequence counts as handed out already: nextval returns the one after it. */
    public long position() {
        return isCalled ? lastValue : lastValue - increment;
    }

    /** Passed when the next values cannot collide with a value already in the column. */
    public CheckResult verdict() {
        if (columnMax == null) {
            return CheckResult.passed("sequences", sequence, "feeds " + column + ", whose table is empty");
        }
        BigDecimal at = BigDecimal.valueOf(position());
        if (increment > 0 && at.compareTo(columnMax) < 0) {
            return CheckResult.failed("sequences", sequence, "sequence " + sequence + " is at " + position() + ", below max(" + column
                    + ") = " + columnMax.toPlainString() + ": the next insert would collide");
        }
        if (increment < 0 && at.compareTo(columnMin) > 0) {
            return CheckResult.failed("sequences", sequence, "descending sequence " + sequence + " is at " + position() + ", above min("
                    + column + ") = " + columnMin.toPlainString() + ": the next insert would collide");
        }
        return CheckResult.passed("sequences", sequence, "at " + position() + ", "
                + (increment > 0 ? "max(" + column + ") = " + columnMax.toPlainString() : "min(" + column + ") = " + columnMin.toPlainString()));
    }
}
