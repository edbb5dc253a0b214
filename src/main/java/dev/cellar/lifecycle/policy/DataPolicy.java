package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A database's data policy: which category each table belongs to, how long its rows are kept,
 * what dates them, and what erasing a data subject does to each personal-data column. Tables
 * listed under {@code notPersonal} hold columns that look personal but are not (a cafe's phone),
 * each with the reason, so the schema check stays quiet about them on purpose, not by accident.
 */
public record DataPolicy(String database, List<DataCategory> categories, List<PersonalDataTable> personalData,
        Map<TableName, String> notPersonal, List<TableName> subjects) {
    public DataPolicy {
        subjects = List.copyOf(subjects);
        categories = List.copyOf(categories);
        personalData = List.copyOf(personalData);
        notPersonal = Map.copyOf(notPersonal);
    }

    /** The category holding {@code table}; a table belongs to at most one (the parser makes sure). */
    public Optional<DataCategory> categoryOf(TableName table) {
        return categories.stream().filter(c -> c.tables().stream().anyMatch(t -> t.table().equals(table))).findFirst();
    }

    public Optional<PersonalDataTable> personalDataOf(TableName table) {
        return personalData.stream().filter(p -> p.table().equals(table)).findFirst();
    }
}
