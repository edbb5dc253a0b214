package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import java.util.List;

/**
 * The order in which rows of a set of tables can be deleted without breaking a foreign key:
 * referencing tables before the tables they reference. Tables that reference each other in a ring
 * have no such order; each ring is listed in {@code cycles} (its tables also sit, together, in
 * {@code tables}) so that the caller deletes them in one transaction with deferred keys, or refuses.
 * A table that references itself is in {@code selfReferencing}: one DELETE of all its doomed rows
 * is safe, batches of them are not.
 */
public record DeletionOrder(List<TableName> tables, List<List<TableName>> cycles, List<TableName> selfReferencing) {

    public DeletionOrder {
        tables = List.copyOf(tables);
        cycles = cycles.stream().map(List::copyOf).toList();
        selfReferencing = List.copyOf(selfReferencing);
    }

    public boolean hasCycles() {
        return !cycles.isEmpty();
    }
}
