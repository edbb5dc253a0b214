package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

/**
 * The rows of one table that concern a subject, as two SELECTs returning the table's columns. Each
 * has exactly one parameter, the subject's id; bind it untyped (JDBC {@code Types.OTHER}) so that
 * PostgreSQL reads it as the key column's type.
 *
 * @param belongingSql     rows that reference the subject, directly or through other rows (the subject's own row
 *                         included): what erasure and the portability export act on; null when no key leads here
 * @param selfContainedSql the belonging rows plus every row they reference, transitively: what an archive of the
 *                         subject must hold so that it restores without a broken foreign key
 */
public record SubjectRowQuery(TableName table, String belongingSql, String selfContainedSql) {
}
