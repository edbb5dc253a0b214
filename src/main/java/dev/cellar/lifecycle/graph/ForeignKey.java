package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import java.util.List;

/**
 * One foreign key: {@code columns} of {@code table} reference {@code referencedColumns} of
 * {@code referencedTable}, pairing up by position (the order of the key's declaration). A key on a
 * partitioned table appears once, on the partitioned table, never on its partitions.
 */
public record ForeignKey(String constraint, TableName table, List<String> columns,
                         TableName referencedTable, List<String> referencedColumns,
                         DeleteAction onDelete, boolean deferrable, boolean initiallyDeferred) {

    public ForeignKey {
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
        if (columns.isEmpty() || columns.size() != referencedColumns.size()) {
            throw new IllegalArgumentException("foreign key " + constraint + " pairs " + columns + " with " + referencedColumns);
        }
    }

    public boolean selfReference() {
        return table.equals(referencedTable);
    }
}
