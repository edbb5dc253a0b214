package dev.cellar.drill.check;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What a drill checks beyond the generic checks on one database: its invariants and its
 * performance queries, read from a check set file (docs/drill-checks.md).
 *
 * @param source           where it was read from (a file, or the shipped resource's name), for messages
 * @param statementTimeout how long one invariant or timed query may run before it counts as failed
 * @param maxRatio         restored/source time above which a query fails the performance check; empty: report only
 */
public record CheckSet(String source, List<Invariant> invariants, List<TimedQuery> queries, Duration statementTimeout,
                       OptionalDouble maxRatio) {

    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    public CheckSet {
        invariants = List.copyOf(invariants);
        queries = List.copyOf(queries);
    }

    /** No invariants and no queries: a database Cellar ships no set for and none was configured. */
    public static CheckSet none(String why) {
        return new CheckSet(why, List.of(), List.of(), DEFAULT_STATEMENT_TIMEOUT, OptionalDouble.empty());
    }

    public boolean isEmpty() {
        return invariants.isEmpty() && queries.isEmpty();
    }
}
