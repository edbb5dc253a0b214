package dev.cellar.lifecycle.archive;

import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.ForeignKey;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.pg.SnapshotSession;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.ArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Writes, for every table an archive must hold, the condition that picks its rows: the rows the
 * request selected, plus every row a picked row references through a foreign key, transitively,
 * so the archive restores without a broken key. Pure: the graph and the selections in, SQL out.
 *
 * <p>Each condition is written over the table without alias, as the WHERE of {@code SELECT ... FROM
 * table}: nested subqueries select from their own table without alias too, so an unqualified column
 * always names the innermost table, which is the one each condition is about. A ring of tables is
 * followed once round; a table that references itself is closed upwards with a recursive query.
 */
public final class ArchiveSelectionSql {
    private final ForeignKeyGraph graph;
    private final Map<TableName, String> selected;
    private int ctes;

    private ArchiveSelectionSql(ForeignKeyGraph graph, Map<TableName, String> selected) {
        this.graph = graph;
        this.selected = selected;
    }

    /** Per table to archive (sorted), the WHERE condition of its rows; selections of one table are OR-ed. */
    public static Map<TableName, String> conditions(ForeignKeyGraph graph, List<RowSelection> rows) {
        Map<TableName, List<String>> byTable = new TreeMap<>();
        for (RowSelection row : rows) {
            byTable.computeIfAbsent(row.table(), t -> new ArrayList<>()).add("(" + row.condition() + ")");
        }
        Map<TableName, String> selected = new TreeMap<>();
        byTable.forEach((table, conditions) -> selected.put(table, String.join(" OR ", conditions)));
        Set<TableName> tables = new TreeSet<>(selected.keySet());
        for (TableName table : selected.keySet()) {
            tables.addAll(graph.ancestors(table));
        }
        ArchiveSelectionSql writer = new ArchiveSelectionSql(graph, selected);
        Map<TableName, String> conditions = new LinkedHashMap<>();
        for (TableName table : tables) {
            writer.ctes = 0;
            String condition = writer.held(table, Set.of());
            if (condition != null) {
                conditions.put(table, condition);
            }
        }
        return conditions;
    }

    /** The selection alone, for counting how many of a table's archived rows were asked for. */
    public static Map<TableName, String> selectedOnly(List<RowSelection> rows) {
        Map<TableName, List<String>> byTable = new TreeMap<>();
        for (RowSelection row : rows) {
            byTable.computeIfAbsent(row.table(), t -> new ArrayList<>()).add("(" + row.condition() + ")");
        }
        Map<TableName, String> out = new TreeMap<>();
        byTable.forEach((table, conditions) -> out.put(table, String.join(" OR ", conditions)));
        return out;
    }

    private String held(TableName table, Set<TableName> path) {
        Set<TableName> deeper = new HashSet<>(path);
        deeper.add(table);
        List<String> routes = new ArrayList<>();
        if (selected.containsKey(table)) {
            routes.add(selected.get(table));
        }
        for (ForeignKey key : graph.keysReferencing(table)) {
            if (key.selfReference() || deeper.contains(key.table())) {
                continue;
            }
            String child = held(key.table(), deeper);
            if (child != null) {
                routes.add(tuple(key.referencedColumns(), table) + " IN (SELECT " + columns(key.columns(), key.table()) + " FROM "
                        + key.table().quoted() + " WHERE " + child + ")");
            }
        }
        if (routes.isEmpty()) {
            return null;
        }
        String base = or(routes);
        List<String> closed = new ArrayList<>(List.of(base));
        for (ForeignKey key : graph.keysOf(table)) {
            if (!key.selfReference()) {
                continue;
            }
            // upwards along the self-reference: the rows a held row points at are held too
            String cte = "archive_up" + ctes++;
            List<String> names = IntStream.range(0, key.columns().size()).mapToObj(i -> "c" + i).toList();
            String matched = IntStream.range(0, names.size())
                    .mapToObj(i -> table.quoted() + "." + q(key.referencedColumns().get(i)) + " = " + cte + "." + names.get(i))
                    .collect(Collectors.joining(" AND "));
            closed.add(tuple(key.referencedColumns(), table) + " IN (WITH RECURSIVE " + cte + "(" + String.join(", ", names)
                    + ") AS (SELECT " + columns(key.columns(), table) + " FROM " + table.quoted() + " WHERE " + base
                    + " UNION SELECT " + columns(key.columns(), table) + " FROM " + table.quoted() + " JOIN " + cte + " ON " + matched
                    + ") SELECT " + String.join(", ", names) + " FROM " + cte + ")");
        }
        return or(closed);
    }

    private static String or(List<String> routes) {
        return routes.size() == 1 ? routes.get(0) : "(" + String.join(" OR ", routes) + ")";
    }

    private static String tuple(List<String> columns, TableName table) {
        String list = columns(columns, table);
        return columns.size() == 1 ? list : "(" + list + ")";
    }

    private static String columns(List<String> columns, TableName table) {
        return columns.stream().map(c -> table.quoted() + "." + q(c)).collect(Collectors.joining(", "));
    }

    private static String q(String identifier) {
        return SnapshotSession.quoteIdentifier(identifier);
    }
}
