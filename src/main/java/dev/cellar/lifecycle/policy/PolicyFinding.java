package dev.cellar.lifecycle.policy;

/**
 * One disagreement between a policy and a live schema. {@code keyPath} names the policy key at
 * fault ({@code categories.financial.tables.payments.dated-by}), or the live table the policy
 * misses; {@code message} says what is wrong and what to change.
 */
public record PolicyFinding(Kind kind, String keyPath, String message) {
    /** What kind of disagreement; stable, so scripts and the JSON output may rely on it. */
    public enum Kind {
        /** The policy names a table the database does not have. */
        UNKNOWN_TABLE,
        /** The policy names a column its table does not have. */
        UNKNOWN_COLUMN,
        /** A dated-by column is not a date or timestamp. */
        DATING_COLUMN_TYPE,
        /** A dated-by column of another table, but no foreign key leads from this table to it. */
        NO_FOREIGN_KEY,
        /** Erasure would set NULL in a NOT NULL column, which would fail. */
        NULL_IN_NOT_NULL_COLUMN,
        /** A table holds personal data (declared or by its column names) and no category covers it. */
        UNCOVERED_PERSONAL_DATA,
        /** A categorised table has a column that looks personal but personal-data: does not list it. */
        UNDECLARED_PERSONAL_COLUMN,
        /** A category says on-conflict: detach, but a foreign key referencing its tables is NOT NULL, so it cannot be set to NULL. */
        DETACH_OVER_NOT_NULL
    }

    @Override
    public String toString() {
        return keyPath + ": " + message;
    }
}
