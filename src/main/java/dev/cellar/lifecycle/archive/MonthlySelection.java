package dev.cellar.lifecycle.archive;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.ForeignKey;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.policy.CategoryTable;
import dev.cellar.lifecycle.policy.DataCategory;
import dev.cellar.lifecycle.policy.DataPolicy;
import dev.cellar.lifecycle.policy.RowDating;
import dev.cellar.pg.SnapshotSession;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What a monthly archive selects, from the data policy alone: for every table of every category,
 * the rows dated in the month (UTC), by the row's own column or, for a table dated by its parent,
 * the rows whose parent is dated in the month; and how long the archive stays locked. Pure.
 */
public final class MonthlySelection {
    private static final String PARENT_ALIAS = "cellar_dating_parent";

    private MonthlySelection() {
    }

    /** {@code 2026-10}; a USAGE error naming the expected form otherwise. */
    public static YearMonth parseMonth(String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new CellarException(ErrorCode.USAGE, "'" + text + "' is not a month", "write the month as YYYY-MM, for example 2026-10");
        }
    }

    public static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The first instant after the month: where its rows end and where the lock's count starts. */
    public static Instant end(YearMonth month) {
        return start(month.plusMonths(1));
    }

    /** Refuses a month that has not ended at {@code now}: its rows are still being written. */
    public static void requireEnded(YearMonth month, Instant now) {
        if (now.isBefore(end(month))) {
            throw new CellarException(ErrorCode.USAGE, "month " + month + " has not ended yet (it ends " + end(month) + "); its rows are still changing",
                    "archive a month once it is over, for example --month " + YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(1));
        }
    }

    /** The month's end plus the longest retention of the categories the archive holds. */
    public static Instant lockedUntil(DataPolicy policy, YearMonth month) {
        LocalDate end = month.plusMonths(1).atDay(1);
        LocalDate latest = end;
        for (DataCategory category : policy.categories()) {
            LocalDate due = category.retention().dueOn(end);
            if (!category.tables().isEmpty() && due.isAfter(latest)) {
                latest = due;
            }
        }
        return latest.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** One selection per table of the policy, in the policy's order. */
    public static List<RowSelection> rows(DataPolicy policy, ForeignKeyGraph graph, YearMonth month) {
        List<RowSelection> rows = new ArrayList<>();
        for (DataCategory category : policy.categories()) {
            for (CategoryTable table : category.tables()) {
                rows.add(new RowSelection(table.table(), condition(table, graph, month)));
            }
        }
        return rows;
    }

    static String condition(CategoryTable table, ForeignKeyGraph graph, YearMonth month) {
        return switch (table.datedBy()) {
            case RowDating.OwnColumn own -> inMonth(q(own.column()), month);
            case RowDating.ReferencedColumn parent -> {
                ForeignKey key = graph.keysOf(table.table()).stream().filter(k -> k.referencedTable().equals(parent.table()))
                        .findFirst().orElseThrow(() -> new CellarException(ErrorCode.CONFIG_INVALID, "table " + table.table()
                                + " is dated by " + parent + " but has no foreign key to " + parent.table(),
                                "run 'cellar policy check' and fix the policy's dated-by for " + table.table()));
                String join = IntStream.range(0, key.columns().size())
                        .mapToObj(i -> PARENT_ALIAS + "." + q(key.referencedColumns().get(i)) + " = " + table.table().quoted() + "." + q(key.columns().get(i)))
                        .collect(Collectors.joining(" AND "));
                yield "EXISTS (SELECT 1 FROM " + parent.table().quoted() + " " + PARENT_ALIAS + " WHERE " + join + " AND "
                        + inMonth(PARENT_ALIAS + "." + q(parent.column()), month) + ")";
            }
        };
    }

    private static String inMonth(String column, YearMonth month) {
        return column + " >= timestamptz '" + start(month) + "' AND " + column + " < timestamptz '" + end(month) + "'";
    }

    private static String q(String identifier) {
        return SnapshotSession.quoteIdentifier(identifier);
    }
}
