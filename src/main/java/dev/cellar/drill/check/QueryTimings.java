package dev.cellar.drill.check;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/** The arithmetic and the verdict of the performance comparison, apart from any database. */
public final class QueryTimings {

    private QueryTimings() {
    }

    /** The median of the timed runs: one slow run (a checkpoint, a neighbour's job) does not decide. */
    public static double median(double... millis) {
        if (millis.length == 0) {
            throw new IllegalArgumentException("no runs to take the median of");
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** A query's figures; without a source figure (negative) the ratio is NaN. */
    public static QueryTiming timing(String name, double sourceMillis, double restoredMillis) {
        double ratio = sourceMillis > 0 ? restoredMillis / sourceMillis : Double.NaN;
        if (sourceMillis == 0) {
            // both below the clock's resolution in practice; a zero source time must not read as an infinite slowdown
            ratio = restoredMillis == 0 ? 1.0 : Double.NaN;
        }
        return new QueryTiming(name, sourceMillis, restoredMillis, ratio);
    }

    /**
     * Failed when a query could not run on the copy, or when {@code maxRatio} is set and a query
     * is slower than that many times its source time; otherwise passed, reporting the slowest ratio.
     *
     * @param errors why each query that failed on the copy failed, by its name
     */
    public static CheckResult verdict(List<QueryTiming> timings, Map<String, String> errors, OptionalDouble maxRatio, String preface) {
        if (!errors.isEmpty()) {
            return CheckResult.failed("performance", "", preface + errors.entrySet().stream()
                    .map(e -> "query " + e.getKey() + " failed on the restored copy: " + e.getValue()).collect(Collectors.joining("; ")));
        }
        if (maxRatio.isPresent()) {
            List<String> slow = timings.stream().filter(t -> !Double.isNaN(t.ratio()) && t.ratio() > maxRatio.getAsDouble())
                    .map(t -> String.format(Locale.ROOT, "%s %.1fx (%.1f ms restored, %.1f ms source)", t.name(), t.ratio(),
                            t.restoredMillis(), t.sourceMillis()))
                    .toList();
            if (!slow.isEmpty()) {
                return CheckResult.failed("performance", "", preface + slow.size() + " query(ies) slower than max-ratio "
                        + maxRatio.getAsDouble() + " times the source: " + String.join(", ", slow));
            }
        }
        OptionalDouble worst = timings.stream().mapToDouble(QueryTiming::ratio).filter(r -> !Double.isNaN(r)).max();
        return CheckResult.passed("performance", "", preface + timings.size() + " query(ies) timed"
                + (worst.isPresent() ? String.format(Locale.ROOT, ", slowest at %.2fx the source", worst.getAsDouble()) : ", no source figures")
                + (maxRatio.isPresent() ? " (max-ratio " + maxRatio.getAsDouble() + ")" : " (report only: no max-ratio set)"));
    }
}
