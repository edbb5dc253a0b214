package dev.cellar.lifecycle.erasure;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.policy.ErasureAction;
import dev.cellar.pg.SnapshotSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one statement that erases a subject's rows of one table: a DELETE when any column's action
 * is delete-row, else an UPDATE setting the nulled and pseudonymised columns. The rows are named by
 * their keys, collected beforehand into a temporary table, so that nulling a column on the way
 * cannot hide rows of a table handled later.
 *
 * @param sql        the statement, with {@code ?} for each parameter
 * @param parameters bound as text, in order
 */
public record TableErasureStatement(TableName table, String sql, List<String> parameters) {
    public TableErasureStatement {
        parameters = List.copyOf(parameters);
    }

    /**
     * @param keyColumns   the table's primary key
     * @param keysTable    the temporary table holding the keys of the subject's rows
     * @param subjectTable true for the subject's own table (one row: pseudonyms need no row suffix)
     * @return empty when every column of the rule is kept
     */
    public static Optional<TableErasureStatement> of(ErasureRule.TableRule rule, Map<String, ColumnFacts> facts, String subjectHash,
                                                     List<String> keyColumns, String keysTable, boolean subjectTable) {
        TableName table = rule.tableName();
        String match = " WHERE (" + columns(keyColumns) + ") IN (SELECT " + columns(keyColumns) + " FROM " + keysTable + ")";
        if (rule.deletesRow()) {
            return Optional.of(new TableErasureStatement(table, "DELETE FROM " + table.quoted() + match, List.of()));
        }
        List<String> assignments = new ArrayList<>();
        List<String> parameters = new ArrayList<>();
        String rowKey = subjectTable ? null : keyColumns.stream().map(c -> q(c) + "::text").collect(Collectors.joining(" || '-' || "));
        for (ErasureRule.ColumnRule column : rule.columns()) {
            if (column.action() == ErasureAction.KEEP) {
                continue;
            }
            ColumnFacts fact = facts.get(column.column());
            if (fact == null) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "the erasure rule names column " + column.column() + " of " + table
                        + ", which the database lacks", "run 'cellar policy check' and fix the data policy (docs/data-policy.md)");
            }
            if (column.action() == ErasureAction.NULL) {
                assignments.add(q(column.column()) + " = NULL");
            } else {
                Pseudonym.Expression value = Pseudonym.of(table.toString(), fact, subjectHash, rowKey);
                assignments.add(q(column.column()) + " = " + value.sql());
                parameters.addAll(value.parameters());
            }
        }
        if (assignments.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TableErasureStatement(table, "UPDATE " + table.quoted() + " SET " + String.join(", ", assignments) + match,
                parameters));
    }

    private static String columns(List<String> columns) {
        return columns.stream().map(TableErasureStatement::q).collect(Collectors.joining(", "));
    }

    private static String q(String identifier) {
        return SnapshotSession.quoteIdentifier(identifier);
    }
}
