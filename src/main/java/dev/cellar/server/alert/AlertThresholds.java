package dev.cellar.server.alert;

import dev.cellar.config.AlertsConfig;
import dev.cellar.config.ScheduleConfig;
import java.time.Duration;

/**
 * The bounds the conditions judge against, as durations and bytes rather than configured minutes
 * and mebibytes.
 *
 * @param bucketQuotaBytes 0 when no quota is configured
 * @param defaultRpo       the objective of a recovery point that states none (each database states its own:
 *                         schedule.rpo-objective-seconds)
 */
public record AlertThresholds(int sizeDeviationPercent, int sizeComparableBackups, Duration walDelay, long streamLagBytes,
        int spaceFreePercent, int spaceDaysUntilFull, long bucketQuotaBytes, Duration copyBehind, Duration verifyMaxAge,
        Duration defaultRpo) {
    private static final long MIB = 1024L * 1024;

    public static AlertThresholds of(AlertsConfig config) {
        return new AlertThresholds(config.sizeDeviationPercent(), config.sizeComparableBackups(),
                Duration.ofMinutes(config.walDelayMinutes()), config.streamLagMib() * MIB, config.spaceFreePercent(),
                config.spaceDaysUntilFull(), config.bucketQuotaGib() * 1024L * MIB, Duration.ofMinutes(config.copyBehindMinutes()),
                Duration.ofDays(config.verifyMaxDays()),
                Duration.ofSeconds(ScheduleConfig.DEFAULT_RPO_OBJECTIVE_SECONDS));
    }

    public static AlertThresholds defaults() {
        return of(AlertsConfig.defaults());
    }
}
