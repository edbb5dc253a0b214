package dev.cellar.server.alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A backup whose size is more than the configured percentage away from the median of the
 * comparable backups before it (same database and kind). A much smaller backup can mean a
 * dropped table or a dump that stopped early; a much larger one, a runaway table. The median,
 * not the mean, so one odd backup does not move the yardstick. Judged once there are at least
 * {@link #MIN_COMPARABLE} earlier backups (or the configured count, if smaller); resolved by the
 * next backup of normal size.
 */
public final class SizeDeviationCondition implements AlertCondition {
    public static final String NAME = "size-deviation";
    static final int MIN_COMPARABLE = 3;

    @Override
    public List<String> names() {
        return List.of(NAME);
    }

    @Override
    public boolean observes(AlertInputs inputs) {
        return inputs.backupSizes() != null;
    }

    @Override
    public List<Finding> findings(AlertInputs inputs, AlertThresholds thresholds) {
        Map<String, List<BackupSize>> groups = new LinkedHashMap<>();
        inputs.backupSizes().stream().sorted(Comparator.comparing(BackupSize::finished).reversed())
                .forEach(b -> groups.computeIfAbsent(b.database() + '\u0000' + b.kind(), g -> new ArrayList<>()).add(b));
        List<Finding> findings = new ArrayList<>();
        int wanted = thresholds.sizeComparableBackups();
        for (List<BackupSize> newestFirst : groups.values()) {
            BackupSize newest = newestFirst.get(0);
            List<BackupSize> earlier = newestFirst.subList(1, Math.min(newestFirst.size(), wanted + 1));
            var baseline = baseline(earlier.stream().mapToLong(BackupSize::bytes).toArray(), thresholds);
            if (baseline.isEmpty()) {
                continue;
            }
            double median = baseline.get().median();
            double percent = (newest.bytes() - median) * 100.0 / median;
            if (Math.abs(percent) <= thresholds.sizeDeviationPercent()) {
                continue;
            }
            String direction = percent < 0 ? "smaller" : "larger";
            findings.add(new Finding(NAME, Finding.key(NAME, newest.database(), newest.kind()), Severity.WARNING, newest.database(),
                    newest.kind() + " backup of " + newest.database() + " is " + Math.round(Math.abs(percent)) + "% " + direction
                            + " than usual",
                    String.format(Locale.ROOT, "backup %s finished %s: %s; median of the %d before it: %s (limit ±%d%%)",
                            newest.backupId(), Texts.instant(newest.finished()), Texts.bytes(newest.bytes()), earlier.size(),
                            Texts.bytes(Math.round(median)), thresholds.sizeDeviationPercent()),
                    percent < 0
                            ? "check that no table was dropped or truncated by mistake and that the dump did not skip objects "
                                    + "(cellar show " + newest.backupId() + " lists its tables and row counts)"
                            : "look for a table that grew unexpectedly (bloat, a runaway log table); if the growth is expected, "
                                    + "this resolves once a normal-sized backup follows",
                    newest.finished()));
        }
        return findings;
    }

    /**
     * The band a backup's size is judged against: the median of the comparable backups before it, give or
     * take the configured percentage. Empty when there are too few of them to judge (or their median is 0).
     * The dashboard draws this same band, so what it shows outside the band is what alerts.
     *
     * @param earlierNewestFirst the sizes of the comparable backups before it, newest first (more than
     *                           the configured count are ignored)
     */
    public static java.util.Optional<Band> baseline(long[] earlierNewestFirst, AlertThresholds thresholds) {
        int wanted = thresholds.sizeComparableBackups();
        long[] earlier = java.util.Arrays.copyOf(earlierNewestFirst, Math.min(earlierNewestFirst.length, wanted));
        if (earlier.length < Math.min(MIN_COMPARABLE, wanted)) {
            return java.util.Optional.empty();
        }
        double median = median(earlier);
        if (median <= 0) {
            return java.util.Optional.empty();
        }
        double spread = median * thresholds.sizeDeviationPercent() / 100.0;
        return java.util.Optional.of(new Band(median, median - spread, median + spread));
    }

    /** The median of the comparable backups and the sizes beyond which a backup is alerted. */
    public record Band(double median, double low, double high) {
        public boolean contains(long bytes) {
            return bytes >= low && bytes <= high;
        }
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + (double) sorted[middle]) / 2;
    }
}
