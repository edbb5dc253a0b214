package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.ForeignKey;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a data policy against a live schema: every table and column it names exists, dating
 * columns are dates reachable through a foreign key, erasure actions fit their columns, and no
 * table holding personal data is left outside every category. Pure: the schema comes in as a
 * snapshot, so {@link SchemaSnapshotReader} is the only part that needs PostgreSQL.
 */
public final class PolicySchemaCheck {
    private final DataPolicy policy;
    private final SchemaSnapshot schema;
    private final ForeignKeyGraph graph;
    private final List<PolicyFinding> findings = new ArrayList<>();

    private PolicySchemaCheck(DataPolicy policy, SchemaSnapshot schema, ForeignKeyGraph graph) {
        this.policy = policy;
        this.schema = schema;
        this.graph = graph;
    }

    /** The findings, without the checks that need the foreign keys' columns (on-conflict: detach). */
    public static List<PolicyFinding> check(DataPolicy policy, SchemaSnapshot schema) {
        return check(policy, schema, new ForeignKeyGraph(List.of(), java.util.Map.of()));
    }

    /** The findings, in policy order then schema order; empty when the policy fits the schema. */
    public static List<PolicyFinding> check(DataPolicy policy, SchemaSnapshot schema, ForeignKeyGraph graph) {
        PolicySchemaCheck check = new PolicySchemaCheck(policy, schema, graph);
        check.checkCategories();
        check.checkDetach();
        check.checkPersonalData();
        check.checkNotPersonal();
        check.checkUncoveredTables();
        return List.copyOf(check.findings);
    }

    private void checkCategories() {
        for (DataCategory category : policy.categories()) {
            for (CategoryTable entry : category.tables()) {
                String path = "categories." + category.name() + ".tables." + entry.table();
                table(entry.table(), path).ifPresent(table -> checkDating(table, entry.datedBy(), path + ".dated-by"));
            }
        }
    }

    /** Detach sets the referencing columns to NULL: a NOT NULL column there would make every such delete fail. */
    private void checkDetach() {
        for (DataCategory category : policy.categories()) {
            if (category.onConflict() != OnConflict.DETACH) {
                continue;
            }
            for (CategoryTable entry : category.tables()) {
                for (ForeignKey key : graph.keysReferencing(entry.table())) {
                    Optional<SchemaTable> child = schema.table(key.table());
                    List<String> notNull = child.map(t -> key.columns().stream()
                            .filter(c -> t.column(c).map(col -> !col.nullable()).orElse(false)).toList()).orElse(List.of());
                    if (!notNull.isEmpty()) {
                        add(PolicyFinding.Kind.DETACH_OVER_NOT_NULL, "categories." + category.name() + ".on-conflict",
                                key.table() + "." + String.join(", ", notNull) + " (foreign key " + key.constraint() + " to "
                                        + entry.table() + ") is NOT NULL, so detach cannot set it to NULL; use keep-parent, "
                                        + "or make the column nullable");
                    }
                }
            }
        }
    }

    private void checkDating(SchemaTable table, RowDating dating, String path) {
        SchemaTable dated = table;
        if (dating instanceof RowDating.ReferencedColumn referenced) {
            Optional<SchemaTable> target = table(referenced.table(), path + ".table");
            if (target.isEmpty()) {
                return;
            }
            if (!table.references().contains(referenced.table())) {
                add(PolicyFinding.Kind.NO_FOREIGN_KEY, path + ".table", "no foreign key of " + table.name() + " references "
                        + referenced.table() + ", so its rows cannot be dated by " + referenced
                        + "; add the foreign key or date the rows by a column of their own");
                return;
            }
            dated = target.get();
        }
        SchemaTable owner = dated;
        column(owner, dating.column(), path).ifPresent(column -> {
            if (!isDate(column.type())) {
                add(PolicyFinding.Kind.DATING_COLUMN_TYPE, path, owner.name() + "." + column.name() + " is " + column.type()
                        + ", not a date or timestamp; date the rows by a date, timestamp or timestamptz column");
            }
        });
    }

    private void checkPersonalData() {
        for (PersonalDataTable entry : policy.personalData()) {
            String path = "personal-data." + entry.table();
            Optional<SchemaTable> table = table(entry.table(), path);
            if (policy.categoryOf(entry.table()).isEmpty()) {
                add(PolicyFinding.Kind.UNCOVERED_PERSONAL_DATA, path, entry.table()
                        + " holds personal data but no category lists it, so nothing says how long its rows are kept; add it to a category's tables");
            }
            if (table.isEmpty()) {
                continue;
            }
            for (PersonalColumn personal : entry.columns()) {
                column(table.get(), personal.column(), path + "." + personal.column()).ifPresent(column -> {
                    if (personal.action() == ErasureAction.NULL && !column.nullable()) {
                        add(PolicyFinding.Kind.NULL_IN_NOT_NULL_COLUMN, path + "." + personal.column(), entry.table() + "."
                                + column.name() + " is NOT NULL, so erasure cannot null it; use pseudonymise or delete-row");
                    }
                });
            }
        }
    }

    private void checkNotPersonal() {
        policy.notPersonal().keySet().stream().sorted().forEach(table -> table(table, "not-personal." + table));
    }

    private void checkUncoveredTables() {
        for (SchemaTable table : schema.tables()) {
            List<String> personal = PersonalDataHeuristic.personalColumns(table);
            if (personal.isEmpty() || policy.notPersonal().containsKey(table.name())) {
                continue;
            }
            if (policy.categoryOf(table.name()).isEmpty()) {
                if (policy.personalDataOf(table.name()).isEmpty()) {
                    add(PolicyFinding.Kind.UNCOVERED_PERSONAL_DATA, table.name().toString(), table.name()
                            + " looks like it holds personal data (" + String.join(", ", personal)
                            + ") but no category covers it; add it to a category, or to not-personal: with the reason");
                }
                continue;
            }
            List<String> declared = policy.personalDataOf(table.name())
                    .map(p -> p.columns().stream().map(PersonalColumn::column).toList()).orElse(List.of());
            for (String column : personal) {
                if (!declared.contains(column)) {
                    add(PolicyFinding.Kind.UNDECLARED_PERSONAL_COLUMN, "personal-data." + table.name() + "." + column,
                            table.name() + "." + column + " looks like personal data but personal-data: does not say what erasure does to it; add it with its action");
                }
            }
        }
    }

    private Optional<SchemaTable> table(TableName name, String path) {
        Optional<SchemaTable> table = schema.table(name);
        if (table.isEmpty()) {
            add(PolicyFinding.Kind.UNKNOWN_TABLE, path, "the database has no table " + name
                    + "; check the spelling, and write the schema for tables outside public (audit.audit_logs)");
        }
        return table;
    }

    private Optional<SchemaColumn> column(SchemaTable table, String name, String path) {
        Optional<SchemaColumn> column = table.column(name);
        if (column.isEmpty()) {
            add(PolicyFinding.Kind.UNKNOWN_COLUMN, path, table.name() + " has no column " + name + "; its columns are "
                    + String.join(", ", table.columns().stream().map(SchemaColumn::name).toList()));
        }
        return column;
    }

    private static boolean isDate(String type) {
        return type.equals("date") || type.startsWith("timestamp");
    }

    private void add(PolicyFinding.Kind kind, String path, String message) {
        findings.add(new PolicyFinding(kind, path, message));
    }
}
