package dev.cellar.lifecycle.policy;

import java.util.List;

/** A class of data kept for one retention period ("financial: 7 years"), and the tables it holds. */
public record DataCategory(String name, RetentionPeriod retention, List<CategoryTable> tables) {
    public DataCategory {
        tables = List.copyOf(tables);
    }
}
