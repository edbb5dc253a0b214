package dev.cellar.lifecycle.policy;

import java.time.Duration;
import java.util.List;

/**
 * A class of data kept for one retention period ("financial: 7 years"), the tables it holds, and
 * what retention does when a due row of it is still referenced by a row that is not due.
 */
public record DataCategory(String name, RetentionPeriod retention, List<CategoryTable> tables, OnConflict onConflict, Duration rto,
                           Duration rpo) {
    public DataCategory {
        tables = List.copyOf(tables);
    }

    /** A category without recovery objectives of its own ({@code rto:} / {@code rpo:}, which drills compare with). */
    public DataCategory(String name, RetentionPeriod retention, List<CategoryTable> tables, OnConflict onConflict) {
        this(name, retention, tables, onConflict, null, null);
    }

    /** A category that keeps a referenced row until its referencing rows are due ({@code on-conflict: keep-parent}). */
    public DataCategory(String name, RetentionPeriod retention, List<CategoryTable> tables) {
        this(name, retention, tables, OnConflict.KEEP_PARENT);
    }
}
