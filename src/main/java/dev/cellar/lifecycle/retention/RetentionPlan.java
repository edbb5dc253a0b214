package dev.cellar.lifecycle.retention;

import java.time.Instant;
import java.util.List;

/**
 * What retention would remove at {@code at}: per category and table the rows due, the rows that
 * go, the rows held back and why, and the order in which tables are emptied (children first).
 */
public record RetentionPlan(String database, String policy, Instant at, List<CategoryPlan> categories, List<String> deletionOrder) {
    public RetentionPlan {
        categories = List.copyOf(categories);
        deletionOrder = List.copyOf(deletionOrder);
    }

    /** Rows that go, over every table. */
    public long going() {
        return categories.stream().flatMap(c -> c.tables().stream()).mapToLong(TablePlan::going).sum();
    }

    /** One category of the policy. */
    public record CategoryPlan(String category, String retention, String onConflict, List<TablePlan> tables) {
        public CategoryPlan {
            tables = List.copyOf(tables);
        }
    }

    /**
     * One table: {@code due} rows past their retention, of which {@code going} go and {@code held}
     * stay because rows that are not going reference them; {@code detached} rows elsewhere lose
     * their reference to a going row (on-conflict: detach, or ON DELETE SET NULL).
     */
    public record TablePlan(String table, String datedBy, long due, long going, long held, List<Hold> holds, long detached) {
        public TablePlan {
            holds = List.copyOf(holds);
        }
    }

    /**
     * Why some due rows stay: {@code rows} of them are referenced, through {@code constraint}
     * (ON DELETE {@code onDelete}), by rows of {@code referencingTable} that stay.
     */
    public record Hold(String referencingTable, String constraint, String onDelete, long rows, String reason) {
    }
}
