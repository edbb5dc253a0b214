package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import java.util.List;
import java.util.Map;

/** Hand-built graphs for the tests: a key is written child(cols) -> parent(cols). */
final class Graphs {
    private Graphs() {
    }

    static ForeignKey key(String child, String columns, String parent, String referencedColumns) {
        return new ForeignKey(child + "_" + columns.replace(",", "_") + "_fk", TableName.parse(child), List.of(columns.split(",")),
                TableName.parse(parent), List.of(referencedColumns.split(",")), DeleteAction.NO_ACTION, false, false);
    }

    static ForeignKeyGraph graph(Map<String, String> primaryKeys, ForeignKey... keys) {
        Map<TableName, List<String>> pks = new java.util.HashMap<>();
        primaryKeys.forEach((table, columns) -> pks.put(TableName.parse(table), List.of(columns.split(","))));
        return new ForeignKeyGraph(List.of(keys), pks);
    }

    static TableName t(String name) {
        return TableName.parse(name);
    }
}
