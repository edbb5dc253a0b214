package dev.cellar.server.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Repository storage running out: a folder with less free space than the bound
 * ({@code space-free}; critical under half of it), a folder that will be full within the bound's
 * days at the growth seen in the samples ({@code space-full-in}), or a bucket near or over its
 * quota ({@code bucket-quota}; warning when less than the free-space bound is left, critical at
 * the quota).
 */
public final class SpaceCondition implements AlertCondition {
    public static final String FREE = "space-free";
    public static final String FULL_IN = "space-full-in";
    public static final String QUOTA = "bucket-quota";
    private static final double SECONDS_PER_DAY = 86400;

    @Override
    public List<String> names() {
        return List.of(FREE, FULL_IN, QUOTA);
    }

    @Override
    public boolean observes(AlertInputs inputs) {
        return inputs.storage() != null;
    }

    @Override
    public List<Finding> findings(AlertInputs inputs, AlertThresholds thresholds) {
        List<Finding> findings = new ArrayList<>();
        for (StorageUsage usage : inputs.storage()) {
            if (usage.bucket()) {
                quota(usage, thresholds).ifPresent(findings::add);
            } else if (usage.capacityBytes() != null && usage.freeBytes() != null && usage.capacityBytes() > 0) {
                free(usage, thresholds, inputs.now()).ifPresent(findings::add);
                fullIn(usage, thresholds, inputs.now()).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private static Optional<Finding> free(StorageUsage usage, AlertThresholds thresholds, Instant now) {
        double percent = usage.freeBytes() * 100.0 / usage.capacityBytes();
        if (percent >= thresholds.spaceFreePercent()) {
            return Optional.empty();
        }
        Severity severity = percent < thresholds.spaceFreePercent() / 2.0 ? Severity.CRITICAL : Severity.WARNING;
        return Optional.of(new Finding(FREE, Finding.key(FREE, usage.copy()), severity, usage.copy(),
                "repository copy " + usage.copy() + " has " + Math.round(percent) + "% free (" + Texts.bytes(usage.freeBytes()) + ")",
                "used " + Texts.bytes(usage.usedBytes()) + " of " + Texts.bytes(usage.capacityBytes()) + "; bound "
                        + thresholds.spaceFreePercent() + "% free (alerts.space-free-percent)",
                "free space before backups fail: cellar expire then cellar repo gc reclaim what retention allows; "
                        + "otherwise grow the file system. Never delete files in the repository by hand",
                now));
    }

    private static Optional<Finding> fullIn(StorageUsage usage, AlertThresholds thresholds, Instant now) {
        Optional<Double> bytesPerDay = growthPerDay(usage.samples());
        if (bytesPerDay.isEmpty() || bytesPerDay.get() <= 0) {
            return Optional.empty();
        }
        double days = usage.freeBytes() / bytesPerDay.get();
        if (days >= thresholds.spaceDaysUntilFull()) {
            return Optional.empty();
        }
        Duration left = Duration.ofSeconds(Math.round(days * SECONDS_PER_DAY));
        return Optional.of(new Finding(FULL_IN, Finding.key(FULL_IN, usage.copy()), Severity.WARNING, usage.copy(),
                "repository copy " + usage.copy() + " will be full in about " + Texts.duration(left),
                "growing " + Texts.bytes(Math.round(bytesPerDay.get())) + " a day over " + usage.samples().size()
                        + " readings; " + Texts.bytes(usage.freeBytes()) + " free; bound " + thresholds.spaceDaysUntilFull()
                        + " days (alerts.space-days-until-full)",
                "plan space now: check retention (retention.full-days, retention.wal-days), run cellar expire and cellar repo gc, "
                        + "or grow the file system",
                now));
    }

    private static Optional<Finding> quota(StorageUsage usage, AlertThresholds thresholds) {
        long quota = thresholds.bucketQuotaBytes();
        if (quota <= 0) {
            return Optional.empty();
        }
        double percentUsed = usage.usedBytes() * 100.0 / quota;
        if (percentUsed < 100 - thresholds.spaceFreePercent()) {
            return Optional.empty();
        }
        Severity severity = percentUsed >= 100 ? Severity.CRITICAL : Severity.WARNING;
        return Optional.of(new Finding(QUOTA, Finding.key(QUOTA, usage.copy()), severity, usage.copy(),
                "bucket copy " + usage.copy() + " uses " + Math.round(percentUsed) + "% of its quota",
                "used " + Texts.bytes(usage.usedBytes()) + " of " + Texts.bytes(quota) + " (alerts.bucket-quota-gib)",
                "run cellar expire and cellar repo gc to reclaim what retention allows, or raise the quota with your provider "
                        + "and in alerts.bucket-quota-gib",
                null));
    }

    /** The least-squares slope of used bytes over time, per day; empty with fewer than two readings or no time between them. */
    static Optional<Double> growthPerDay(List<StorageUsage.Sample> samples) {
        if (samples.size() < 2) {
            return Optional.empty();
        }
        long origin = samples.get(0).at().getEpochSecond();
        double n = samples.size();
        double meanX = samples.stream().mapToDouble(s -> (s.at().getEpochSecond() - origin) / SECONDS_PER_DAY).sum() / n;
        double meanY = samples.stream().mapToDouble(StorageUsage.Sample::usedBytes).sum() / n;
        double covariance = 0;
        double variance = 0;
        for (StorageUsage.Sample sample : samples) {
            double dx = (sample.at().getEpochSecond() - origin) / SECONDS_PER_DAY - meanX;
            covariance += dx * (sample.usedBytes() - meanY);
            variance += dx * dx;
        }
        return variance == 0 ? Optional.empty() : Optional.of(covariance / variance);
    }
}
