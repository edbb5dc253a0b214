package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import java.util.List;

/** The personal-data columns of one table, in the order the policy lists them. */
public record PersonalDataTable(TableName table, List<PersonalColumn> columns) {
    public PersonalDataTable {
        columns = List.copyOf(columns);
    }
}
