package dev.cellar.lifecycle.graph;

import dev.cellar.lifecycle.TableName;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.SnapshotSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Writes, for a subject, the SQL that selects its rows in every table: downwards, the rows that
 * reference it through any chain of foreign keys; upwards, the rows those need to stay
 * self-contained. Two paths to one table are OR-ed; a table that references itself is closed with
 * a recursive query. The walk never re-enters the subject's own table going down (users referred by
 * the subject are other subjects), and follows a ring of tables once round.
 */
public final class SubjectRowQueries {
    private final ForeignKeyGraph graph;
    private final Subject subject;
    private int aliases;

    private SubjectRowQueries(ForeignKeyGraph graph, Subject subject) {
        this.graph = graph;
        this.subject = subject;
    }

    /** One query per table holding a row of the subject or a row those rows reference, sorted by table. */
    public static List<SubjectRowQuery> plan(ForeignKeyGraph graph, Subject subject) {
        List<String> key = graph.primaryKeys().get(subject.table());
        if (key == null) {
            throw new CellarException(ErrorCode.NOT_FOUND, "table " + subject.table() + " has no primary key, or does not exist",
                    "name the subject by a table with a one-column primary key, for example users:42");
        }
        if (key.size() != 1) {
            throw new CellarException(ErrorCode.USAGE, "table " + subject.table() + " has a primary key of " + key.size()
                    + " columns " + key + "; a subject id names one value", "name the subject by a table with a one-column primary key");
        }
        return new SubjectRowQueries(graph, subject).plan(key.get(0));
    }

    private List<SubjectRowQuery> plan(String keyColumn) {
        String with = "WITH subject(subject_id) AS (SELECT s." + q(keyColumn) + " FROM " + subject.table().quoted()
                + " s WHERE s." + q(keyColumn) + " = ?)\n";
        Set<TableName> tables = new TreeSet<>();
        tables.add(subject.table());
        tables.addAll(graph.descendants(subject.table()));
        for (TableName table : List.copyOf(tables)) {
            tables.addAll(graph.ancestors(table));
        }
        List<SubjectRowQuery> queries = new ArrayList<>();
        for (TableName table : tables) {
            aliases = 0;
            String belonging = belongs(table, "t0", Set.of());
            aliases = 0;
            String selfContained = selfContained(table, "t0", Set.of());
            if (selfContained != null) {
                queries.add(new SubjectRowQuery(table,
                        belonging == null ? null : with + "SELECT t0.* FROM " + table.quoted() + " t0 WHERE " + belonging,
                        with + "SELECT t0.* FROM " + table.quoted() + " t0 WHERE " + selfContained));
            }
        }
        return queries;
    }

    /** A condition on {@code alias} (a row of {@code table}) that holds when the row references the subject; null if none can. */
    private String belongs(TableName table, String alias, Set<TableName> path) {
        if (table.equals(subject.table())) {
            return alias + "." + q(graph.primaryKeys().get(table).get(0)) + " IN (SELECT subject_id FROM subject)";
        }
        Set<TableName> deeper = with(path, table);
        return closed(table, alias, deeper, true, (row, p) -> {
            List<String> routes = new ArrayList<>();
            for (ForeignKey key : graph.keysOf(table)) {
                if (key.selfReference() || deeper.contains(key.referencedTable())) {
                    continue;
                }
                String parent = alias();
                String parentBelongs = belongs(key.referencedTable(), parent, deeper);
                if (parentBelongs != null) {
                    routes.add(in(row, key.columns(), "SELECT " + columns(parent, key.referencedColumns()) + " FROM "
                            + key.referencedTable().quoted() + " " + parent + " WHERE " + parentBelongs));
                }
            }
            return or(routes);
        });
    }

    /** A condition on {@code alias} that holds when the row belongs to the subject or a row in the selection references it. */
    private String selfContained(TableName table, String alias, Set<TableName> path) {
        Set<TableName> deeper = with(path, table);
        return closed(table, alias, deeper, false, (row, p) -> {
            List<String> routes = new ArrayList<>();
            String own = belongs(table, row, Set.of());
            if (own != null) {
                routes.add(own);
            }
            for (ForeignKey key : graph.keysReferencing(table)) {
                if (key.selfReference() || deeper.contains(key.table())) {
                    continue;
                }
                String child = alias();
                String childSelected = selfContained(key.table(), child, deeper);
                if (childSelected != null) {
                    routes.add(in(row, key.referencedColumns(), "SELECT " + columns(child, key.columns()) + " FROM "
                            + key.table().quoted() + " " + child + " WHERE " + childSelected));
                }
            }
            return or(routes);
        });
    }

    private interface Condition {
        String on(String alias, Set<TableName> path);
    }

    /**
     * {@code base} on {@code alias}, widened along each self-reference of {@code table}: downwards to
     * rows pointing at a selected row, upwards to rows a selected row points at. The subject's table
     * is never widened downwards (see the class comment).
     */
    private String closed(TableName table, String alias, Set<TableName> path, boolean downwards, Condition base) {
        String direct = base.on(alias, path);
        if (direct == null) {
            return null;
        }
        List<String> routes = new ArrayList<>(List.of(direct));
        for (ForeignKey key : graph.keysOf(table)) {
            if (!key.selfReference() || (downwards && table.equals(subject.table()))) {
                continue;
            }
            String cte = "r" + aliases++;
            String seed = alias();
            String step = alias();
            // the CTE carries the columns the next step matches on: the referenced key going down, the referencing one going up
            List<String> carried = downwards ? key.referencedColumns() : key.columns();
            List<String> matched = downwards ? key.columns() : key.referencedColumns();
            List<String> names = IntStream.range(0, carried.size()).mapToObj(i -> "c" + i).toList();
            routes.add(in(alias, matched, "WITH RECURSIVE " + cte + "(" + String.join(", ", names) + ") AS (SELECT "
                    + columns(seed, carried) + " FROM " + table.quoted() + " " + seed + " WHERE " + base.on(seed, path)
                    + " UNION SELECT " + columns(step, carried) + " FROM " + table.quoted() + " " + step + " JOIN " + cte
                    + " ON " + pairs(step, matched, cte, names) + ") SELECT " + String.join(", ", names) + " FROM " + cte));
        }
        return or(routes);
    }

    private String alias() {
        return "t" + ++aliases;
    }

    private static Set<TableName> with(Set<TableName> path, TableName table) {
        Set<TableName> longer = new HashSet<>(path);
        longer.add(table);
        return longer;
    }

    private static String or(List<String> routes) {
        if (routes.isEmpty()) {
            return null;
        }
        return routes.size() == 1 ? routes.get(0) : "(" + String.join(" OR ", routes) + ")";
    }

    private static String columns(String alias, List<String> columns) {
        return columns.stream().map(c -> alias + "." + q(c)).collect(Collectors.joining(", "));
    }

    /*
     * (row's key) IN (uncorrelated subquery) rather than a correlated EXISTS: PostgreSQL runs an
     * uncorrelated subquery once into a hash table, where a correlated one under OR runs once per
     * row (70 s instead of a fraction of a second for one user of restaurant_ordering at scale 1).
     */
    private static String in(String alias, List<String> columns, String subquery) {
        String key = columns(alias, columns);
        return (columns.size() == 1 ? key : "(" + key + ")") + " IN (" + subquery + ")";
    }

    private static String pairs(String leftAlias, List<String> left, String rightAlias, List<String> right) {
        return IntStream.range(0, left.size())
                .mapToObj(i -> leftAlias + "." + q(left.get(i)) + " = " + rightAlias + "." + right.get(i))
                .collect(Collectors.joining(" AND "));
    }

    private static String q(String identifier) {
        return SnapshotSession.quoteIdentifier(identifier);
    }
}
