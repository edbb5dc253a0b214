package dev.cellar.verify;

import dev.cellar.pg.SnapshotSession;

/**
 * Which rows a query over a table should see, by the rule the backup's row counts used
 * ({@code SnapshotSession.countRows}): a partitioned table covers its whole tree, any other table
 * only its own rows, so an inheritance child is never counted twice.
 */
final class TableScope {
    private TableScope() {
    }

    /** The table as a FROM item: {@code ONLY "schema"."name"}, or without ONLY for a partitioned table. */
    static String of(String schema, String name, boolean partitioned) {
        return (partitioned ? "" : "ONLY ") + SnapshotSession.quoteIdentifier(schema) + "." + SnapshotSession.quoteIdentifier(name);
    }
}
