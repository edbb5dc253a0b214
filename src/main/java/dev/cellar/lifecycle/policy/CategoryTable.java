package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

/** One table of a data category and what dates its rows. */
public record CategoryTable(TableName table, RowDating datedBy) {
}
