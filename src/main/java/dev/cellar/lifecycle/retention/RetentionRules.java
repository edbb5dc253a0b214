package dev.cellar.lifecycle.retention;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.DeleteAction;
import dev.cellar.lifecycle.graph.DeletionOrder;
import dev.cellar.lifecycle.graph.ForeignKey;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.policy.CategoryTable;
import dev.cellar.lifecycle.policy.DataCategory;
import dev.cellar.lifecycle.policy.DataPolicy;
import dev.cellar.lifecycle.policy.OnConflict;
import dev.cellar.lifecycle.policy.RowDating;
import dev.cellar.pg.SnapshotSession;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What retention does at one instant, derived from a data policy and a database's foreign keys:
 * per retained table the condition that makes a row due, per foreign key into a retained table
 * whether a staying row holds the due row back, and the order in which tables are emptied. Pure:
 * no database is read here, so every rule is tested on plain data.
 */
public record RetentionRules(Instant at, List<TableRule> tables, List<Guard> guards, DeletionOrder order) {
    private static final DateTimeFormatter SQL_INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);

    public RetentionRules {
        tables = List.copyOf(tables);
        guards = List.copyOf(guards);
    }

    /** The rules of {@code policy} over {@code graph} at {@code at}; {@code nullable} says which referencing columns take NULL. */
    public static RetentionRules derive(DataPolicy policy, ForeignKeyGraph graph, Instant at, Predicate<ColumnRef> nullable) {
        List<TableRule> tables = new ArrayList<>();
        for (DataCategory category : policy.categories()) {
            for (CategoryTable entry : category.tables()) {
                TableName table = entry.table();
                List<String> primaryKey = Optional.ofNullable(graph.primaryKeys().get(table)).orElseThrow(() -> new CellarException(
                        ErrorCode.CONFIG_INVALID, "table " + table + " of category " + category.name() + " has no primary key, "
                        + "so retention cannot name its rows one by one", "add a primary key to " + table + ", or take it out of the policy"));
                Set<String> kept = new LinkedHashSet<>(primaryKey);
                graph.keysReferencing(table).forEach(k -> kept.addAll(k.referencedColumns()));
                tables.add(new TableRule(table, category, dueCondition(entry, category, graph, at), primaryKey, List.copyOf(kept),
                        tables.size()));
            }
        }
        List<Guard> guards = new ArrayList<>();
        for (TableRule rule : tables) {
            for (ForeignKey key : graph.keysReferencing(rule.table())) {
                guards.add(new Guard(key, effect(key, rule.category().onConflict(), nullable)));
            }
        }
        Set<TableName> retained = new TreeSet<>(tables.stream().map(TableRule::table).toList());
        DeletionOrder order = graph.deletionOrder(retained);
        if (order.hasCycles()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "retained tables reference each other in a ring: " + order.cycles(),
                    "retention deletes children before parents and cannot order a ring; take one of its tables out of the policy");
        }
        List<TableRule> ordered = order.tables().stream()
                .map(t -> tables.stream().filter(r -> r.table().equals(t)).findFirst().orElseThrow()).toList();
        return new RetentionRules(at, ordered, guards, order);
    }

    /** A column of a table, for asking whether it takes NULL. */
    public record ColumnRef(TableName table, String column) {
    }

    /** True for every column: for tests and for graphs without NOT NULL foreign keys. */
    public static Predicate<ColumnRef> fromSchema(Map<TableName, Set<String>> nullableColumns) {
        return ref -> nullableColumns.getOrDefault(ref.table(), Set.of()).contains(ref.column());
    }

    static Guard.Effect effect(ForeignKey key, OnConflict onConflict, Predicate<ColumnRef> nullable) {
        if (key.onDelete() == DeleteAction.SET_NULL || key.onDelete() == DeleteAction.SET_DEFAULT) {
            return Guard.Effect.DATABASE_DETACHES;
        }
        boolean allNullable = key.columns().stream().allMatch(c -> nullable.test(new ColumnRef(key.table(), c)));
        // detach over a NOT NULL column would fail the UPDATE: the row is held instead (policy check flags it)
        return onConflict == OnConflict.DETACH && allNullable && !key.selfReference() ? Guard.Effect.DETACH : Guard.Effect.HOLDS;
    }

    public Optional<TableRule> ruleOf(TableName table) {
        return tables.stream().filter(r -> r.table().equals(table)).findFirst();
    }

    /** The guards on foreign keys into {@code table}. */
    public List<Guard> guardsInto(TableName table) {
        return guards.stream().filter(g -> g.key().referencedTable().equals(table)).toList();
    }

    /** The instant as a SQL literal, UTC: conditions compare against it the same way in every session time zone. */
    static String instantLiteral(Instant at) {
        return "'" + SQL_INSTANT.format(at) + "'::timestamptz";
    }

    /**
     * {@code col + retention <= at} on the row itself or on the row it references; a NULL date never
     * compares true, so a still-employed employee is never due. Written as the policy reads
     * (date plus period), so PostgreSQL's calendar arithmetic decides month ends and leap days.
     */
    static String dueCondition(CategoryTable entry, DataCategory category, ForeignKeyGraph graph, Instant at) {
        String period = "interval '" + category.retention() + "'";
        String cutoff = instantLiteral(at);
        if (entry.datedBy() instanceof RowDating.ReferencedColumn referenced) {
            List<ForeignKey> keys = graph.keysOf(entry.table()).stream().filter(k -> k.referencedTable().equals(referenced.table())).toList();
            if (keys.size() != 1) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, entry.table() + " is dated by " + referenced + " but has "
                        + keys.size() + " foreign keys to " + referenced.table() + ", so the row it is dated by is "
                        + (keys.isEmpty() ? "unknown" : "ambiguous"), "run 'cellar policy check' and date the rows by a column of their own");
            }
            ForeignKey key = keys.get(0);
            return "EXISTS (SELECT 1 FROM " + referenced.table().quoted() + " p WHERE " + columns("p", key.referencedColumns())
                    + " = " + columns("t", key.columns()) + " AND p." + quote(referenced.column()) + " + " + period + " <= " + cutoff + ")";
        }
        return "t." + quote(entry.datedBy().column()) + " + " + period + " <= " + cutoff;
    }

    /** {@code (a.x, a.y)}: a row constructor, so composite keys compare in one expression. */
    static String columns(String alias, List<String> names) {
        StringBuilder sql = new StringBuilder("(");
        for (int i = 0; i < names.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(alias == null ? "" : alias + ".").append(quote(names.get(i)));
        }
        return sql.append(')').toString();
    }

    static String quote(String identifier) {
        return SnapshotSession.quoteIdentifier(identifier);
    }
}
