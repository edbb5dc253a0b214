package dev.cellar.lifecycle.retention;

import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.policy.DataCategory;
import java.util.List;

/**
 * One retained table as retention works on it: its category, the SQL condition that says a row is
 * due (over alias {@code t}), its primary key, and the columns the due set keeps of each row (the
 * key, plus every column a foreign key into the table references).
 */
public record TableRule(TableName table, DataCategory category, String dueCondition, List<String> primaryKey,
                        List<String> keptColumns, int index) {
    public TableRule {
        primaryKey = List.copyOf(primaryKey);
        keptColumns = List.copyOf(keptColumns);
    }

    /** The session's temporary table holding the rows of this table that go in this run. */
    String goingTable() {
        return "pg_temp.cellar_retention_going_" + index;
    }

    /** The session's temporary table holding every due row, before conflicts hold some back. */
    String dueTable() {
        return "pg_temp.cellar_retention_due_" + index;
    }
}
