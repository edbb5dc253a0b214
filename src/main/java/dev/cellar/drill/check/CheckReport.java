package dev.cellar.drill.check;

import java.util.List;

/** Every check's result on one restored copy, and the performance figures behind the "performance" result. */
public record CheckReport(List<CheckResult> results, List<QueryTiming> timings) {
    public CheckReport {
        results = List.copyOf(results);
        timings = List.copyOf(timings);
    }

    public boolean failed() {
        return results.stream().anyMatch(CheckResult::failed);
    }
}
