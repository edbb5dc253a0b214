package dev.cellar.lifecycle.archive;

import dev.cellar.lifecycle.TableName;

/**
 * Some rows of one table to archive: a boolean SQL condition over the table's own columns, written
 * without alias (the archive reads {@code SELECT * FROM table WHERE condition}), such as
 * {@code created_at >= '2026-10-01' AND created_at < '2026-11-01'}.
 */
public record RowSelection(TableName table, String condition) {
}
