package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tarjan's strongly connected components of the keys among a set of tables: each component is a
 * ring of tables that reference each other (or one table alone), sorted by name.
 */
final class StronglyConnected {
    private final Set<TableName> tables;
    private final ForeignKeyGraph graph;
    private final Map<TableName, Integer> index = new HashMap<>();
    private final Map<TableName, Integer> lowLink = new HashMap<>();
    private final Deque<TableName> stack = new ArrayDeque<>();
    private final Set<TableName> onStack = new TreeSet<>();
    private final List<List<TableName>> components = new ArrayList<>();

    StronglyConnected(Set<TableName> tables, ForeignKeyGraph graph) {
        this.tables = new TreeSet<>(tables);
        this.graph = graph;
    }

    List<List<TableName>> components() {
        for (TableName table : tables) {
            if (!index.containsKey(table)) {
                visit(table);
            }
        }
        return components;
    }

    // recursion depth is bounded by the number of tables in one schema, a few thousand at most
    private void visit(TableName table) {
        index.put(table, index.size());
        lowLink.put(table, index.get(table));
        stack.push(table);
        onStack.add(table);
        for (TableName parent : graph.parents(table)) {
            if (!tables.contains(parent)) {
                continue;
            }
            if (!index.containsKey(parent)) {
                visit(parent);
                lowLink.put(table, Math.min(lowLink.get(table), lowLink.get(parent)));
            } else if (onStack.contains(parent)) {
                lowLink.put(table, Math.min(lowLink.get(table), index.get(parent)));
            }
        }
        if (lowLink.get(table).equals(index.get(table))) {
            Set<TableName> component = new TreeSet<>();
            TableName member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(table));
            components.add(List.copyOf(component));
        }
    }
}
