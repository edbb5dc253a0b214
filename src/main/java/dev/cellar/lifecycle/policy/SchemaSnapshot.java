package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import java.util.List;
import java.util.Optional;

/** The tables of one database at one moment, as plain data, so the policy check runs without PostgreSQL. */
public record SchemaSnapshot(List<SchemaTable> tables) {
    public SchemaSnapshot {
        tables = List.copyOf(tables);
    }

    public Optional<SchemaTable> table(TableName name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
