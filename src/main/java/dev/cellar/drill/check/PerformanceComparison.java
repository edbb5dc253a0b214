package dev.cellar.drill.check;

import dev.cellar.error.CellarException;
import dev.cellar.pg.PgConnectionSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Times the check set's queries on the restored copy and on the source: one warm-up run, then the
 * median of three, each under the set's statement timeout. The copy is ANALYZEd first: a restore
 * by pg_restore carries no planner statistics, the DBA's runbook runs ANALYZE before handing the
 * copy over, and without it the figures would measure the missing statistics, not the copy.
 */
public final class PerformanceComparison {
    static final int TIMED_RUNS = 3;

    private final CheckSet set;
    private final LongSupplier nanoTime;

    public PerformanceComparison(CheckSet set) {
        this(set, System::nanoTime);
    }

    PerformanceComparison(CheckSet set, LongSupplier nanoTime) {
        this.set = set;
        this.nanoTime = nanoTime;
    }

    /** The figures of every query, and the "performance" result (failed only on an error or above max-ratio). */
    public PerformanceReport run(CheckTarget target) {
        if (set.queries().isEmpty()) {
            return new PerformanceReport(List.of(), CheckResult.skipped("performance", "",
                    "no timed queries for database " + target.database() + " (" + set.source() + "); set drill.checks to a check set with queries:"));
        }
        Map<String, Double> restored = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        StringBuilder preface = new StringBuilder();
        try (Connection c = target.restored().connect()) {
            long start = nanoTime.getAsLong();
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE");
                preface.append(String.format(java.util.Locale.ROOT, "ANALYZE of the copy took %.0f ms; ", millisSince(start)));
            } catch (SQLException e) {
                preface.append("ANALYZE of the copy failed (").append(e.getMessage()).append("); ");
            }
            timeAll(c, restored, errors);
        } catch (SQLException e) {
            throw target.restored().unreachable(e);
        }
        Map<String, Double> source = new LinkedHashMap<>();
        if (target.source() == null) {
            preface.append("no source to compare with; ");
        } else {
            timeSource(target.source(), source, preface);
        }
        List<QueryTiming> timings = new ArrayList<>();
        for (TimedQuery query : set.queries()) {
            if (restored.containsKey(query.name())) {
                timings.add(QueryTimings.timing(query.name(), source.getOrDefault(query.name(), -1.0), restored.get(query.name())));
            }
        }
        return new PerformanceReport(timings, QueryTimings.verdict(timings, errors, set.maxRatio(), preface.toString()));
    }

    private void timeSource(PgConnectionSpec spec, Map<String, Double> source, StringBuilder preface) {
        Map<String, String> sourceErrors = new LinkedHashMap<>();
        try (Connection c = spec.connect()) {
            c.setReadOnly(true);
            timeAll(c, source, sourceErrors);
        } catch (CellarException | SQLException unreachable) {
            preface.append("the source ").append(spec.describe()).append(" could not be reached, no ratios; ");
            return;
        }
        sourceErrors.forEach((name, why) -> preface.append("query ").append(name).append(" failed on the source: ").append(why).append("; "));
    }

    private void timeAll(Connection c, Map<String, Double> millis, Map<String, String> errors) throws SQLException {
        try (Statement st = c.createStatement()) {
            StatementTimeout.set(st, set.statementTimeout());
            for (TimedQuery query : set.queries()) {
                try {
                    millis.put(query.name(), time(st, query.sql()));
                } catch (SQLException e) {
                    errors.put(query.name(), StatementTimeout.describe(e, set.statementTimeout()));
                }
            }
            StatementTimeout.reset(st);
        }
    }

    private double time(Statement st, String sql) throws SQLException {
        drain(st, sql);
        double[] runs = new double[TIMED_RUNS];
        for (int i = 0; i < TIMED_RUNS; i++) {
            long start = nanoTime.getAsLong();
            drain(st, sql);
            runs[i] = millisSince(start);
        }
        return QueryTimings.median(runs);
    }

    /** Reads every row: the time the application waits includes fetching the result, not just planning it. */
    private static void drain(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i);
                }
            }
        }
    }

    private double millisSince(long start) {
        return (nanoTime.getAsLong() - start) / 1_000_000.0;
    }
}
