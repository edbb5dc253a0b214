package dev.cellar.drill.check;

import java.util.List;

/** The performance comparison's figures, one per query of the check set, and its verdict. */
public record PerformanceReport(List<QueryTiming> timings, CheckResult verdict) {
    public PerformanceReport {
        timings = List.copyOf(timings);
    }
}
