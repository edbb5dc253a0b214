package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A live table as the policy check needs it: its columns and the tables its foreign keys
 * reference. Partitions are not tables here: their parent stands for them.
 */
public record SchemaTable(TableName name, List<SchemaColumn> columns, Set<TableName> references) {
    public SchemaTable {
        columns = List.copyOf(columns);
        references = Set.copyOf(references);
    }

    public Optional<SchemaColumn> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }
}
