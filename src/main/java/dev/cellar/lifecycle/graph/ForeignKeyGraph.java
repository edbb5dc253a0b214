package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * The foreign keys of one database and the primary keys of its tables, as plain data: archives,
 * retention and GDPR erasure walk it to find which rows belong together. Every method is pure;
 * {@link ForeignKeyCatalog} reads one from a live database.
 */
public record ForeignKeyGraph(List<ForeignKey> keys, Map<TableName, List<String>> primaryKeys) {

    public ForeignKeyGraph {
        keys = List.copyOf(keys);
        Map<TableName, List<String>> copy = new HashMap<>();
        primaryKeys.forEach((table, columns) -> copy.put(table, List.copyOf(columns)));
        primaryKeys = Map.copyOf(copy);
    }

    /** The keys declared on {@code table}, in the order the catalog lists them. */
    public List<ForeignKey> keysOf(TableName table) {
        return keys.stream().filter(k -> k.table().equals(table)).toList();
    }

    /** The keys that point at {@code table}, including its own self-references. */
    public List<ForeignKey> keysReferencing(TableName table) {
        return keys.stream().filter(k -> k.referencedTable().equals(table)).toList();
    }

    /** Tables whose rows reference rows of {@code table} (itself too, when it references itself). */
    public Set<TableName> children(TableName table) {
        Set<TableName> children = new TreeSet<>();
        keysReferencing(table).forEach(k -> children.add(k.table()));
        return children;
    }

    /** Tables that rows of {@code table} reference (itself too, when it references itself). */
    public Set<TableName> parents(TableName table) {
        Set<TableName> parents = new TreeSet<>();
        keysOf(table).forEach(k -> parents.add(k.referencedTable()));
        return parents;
    }

    /** Tables reachable from {@code table} by following keys backwards: the referencing tables, transitively. */
    public Set<TableName> descendants(TableName table) {
        return reach(table, this::children);
    }

    /** Tables reachable from {@code table} by following keys forwards: the referenced tables, transitively. */
    public Set<TableName> ancestors(TableName table) {
        return reach(table, this::parents);
    }

    private static Set<TableName> reach(TableName start, java.util.function.Function<TableName, Set<TableName>> next) {
        Set<TableName> seen = new TreeSet<>();
        Deque<TableName> todo = new ArrayDeque<>(next.apply(start));
        while (!todo.isEmpty()) {
            TableName table = todo.pop();
            if (seen.add(table)) {
                todo.addAll(next.apply(table));
            }
        }
        seen.remove(start);
        return seen;
    }

    /**
     * Children before parents, over the keys between tables of {@code tables} only; ties broken by
     * name so that the same schema always yields the same plan. Tables in a ring are kept together.
     */
    public DeletionOrder deletionOrder(Set<TableName> tables) {
        List<List<TableName>> components = new StronglyConnected(tables, this).components();
        Map<TableName, Integer> componentOf = new HashMap<>();
        for (int i = 0; i < components.size(); i++) {
            for (TableName table : components.get(i)) {
                componentOf.put(table, i);
            }
        }
        // remaining[i]: distinct child components of component i still to be deleted
        List<Set<Integer>> remaining = new ArrayList<>();
        List<Set<Integer>> parentComponents = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) {
            remaining.add(new TreeSet<>());
            parentComponents.add(new TreeSet<>());
        }
        for (ForeignKey key : keys) {
            Integer child = componentOf.get(key.table());
            Integer parent = componentOf.get(key.referencedTable());
            if (child != null && parent != null && !child.equals(parent)) {
                remaining.get(parent).add(child);
                parentComponents.get(child).add(parent);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>(Comparator.comparing(i -> components.get(i).get(0)));
        for (int i = 0; i < components.size(); i++) {
            if (remaining.get(i).isEmpty()) {
                ready.add(i);
            }
        }
        List<TableName> order = new ArrayList<>();
        List<List<TableName>> cycles = new ArrayList<>();
        while (!ready.isEmpty()) {
            int component = ready.poll();
            order.addAll(components.get(component));
            if (components.get(component).size() > 1) {
                cycles.add(components.get(component));
            }
            for (int parent : parentComponents.get(component)) {
                remaining.get(parent).remove(component);
                if (remaining.get(parent).isEmpty()) {
                    ready.add(parent);
                }
            }
        }
        List<TableName> selfReferencing = keys.stream().filter(ForeignKey::selfReference).map(ForeignKey::table)
                .filter(tables::contains).distinct().sorted().toList();
        return new DeletionOrder(order, cycles, selfReferencing);
    }
}
