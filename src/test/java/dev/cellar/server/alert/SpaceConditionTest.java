package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.AlertsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpaceConditionTest {
    private static final Instant NOW = Instant.parse("2027-03-10T12:00:00Z");
    private static final long GIB = 1024L * 1024 * 1024;
    private static final AlertThresholds DEFAULTS = AlertThresholds.defaults();

    private static List<Finding> judge(AlertThresholds thresholds, StorageUsage... usage) {
        return new SpaceCondition().findings(AlertInputs.at(NOW).withStorage(List.of(usage)), thresholds);
    }

    private static StorageUsage folder(long capacity, long free, List<StorageUsage.Sample> samples) {
        return new StorageUsage("local", false, capacity - free, capacity, free, samples);
    }

    @Test
    void freeSpaceUnderTheBoundIsAWarningAndUnderHalfOfItCritical() {
        assertThat(judge(DEFAULTS, folder(100 * GIB, 15 * GIB, List.of()))).isEmpty();
        assertThat(judge(DEFAULTS, folder(100 * GIB, 15 * GIB - 1, List.of()))).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("space-free:local");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
        });
        assertThat(judge(DEFAULTS, folder(100 * GIB, 7 * GIB, List.of()))).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void growthProjectedToFillTheFolderWithinTheBoundIsReported() {
        // 1 GiB a day, 50 GiB free: 50 days left, beyond 14
        List<StorageUsage.Sample> gibADay = new ArrayList<>();
        for (int day = 0; day < 10; day++) {
            gibADay.add(new StorageUsage.Sample(NOW.minus(Duration.ofDays(9 - day)), 40 * GIB + day * GIB));
        }
        assertThat(judge(DEFAULTS, folder(100 * GIB, 50 * GIB, gibADay))).isEmpty();
        // 20 GiB free at 1 GiB a day: 20 days > 14; 13 GiB free (and 13% free: also space-free) -> full in 13 days
        assertThat(judge(DEFAULTS, folder(100 * GIB, 20 * GIB, gibADay))).isEmpty();
        assertThat(judge(DEFAULTS, folder(1000 * GIB, 13 * GIB, gibADay))).extracting(Finding::key)
                .contains("space-full-in:local");
        assertThat(SpaceCondition.growthPerDay(gibADay)).hasValueSatisfying(perDay -> assertThat(perDay).isCloseTo(GIB, org.assertj.core.data.Offset.offset(1.0)));
    }

    @Test
    void shrinkingOrASingleReadingProjectsNothing() {
        List<StorageUsage.Sample> shrinking = List.of(new StorageUsage.Sample(NOW.minus(Duration.ofDays(1)), 50 * GIB),
                new StorageUsage.Sample(NOW, 40 * GIB));
        assertThat(judge(DEFAULTS, folder(1000 * GIB, 900 * GIB, shrinking))).isEmpty();
        assertThat(SpaceCondition.growthPerDay(List.of(new StorageUsage.Sample(NOW, 1)))).isEmpty();
    }

    @Test
    void bucketUsageIsHeldAgainstTheQuota() {
        AlertsConfig d = AlertsConfig.defaults();
        AlertThresholds quota100 = AlertThresholds.of(new AlertsConfig(d.sizeDeviationPercent(), d.sizeComparableBackups(), d.walDelayMinutes(),
                d.streamLagMib(), d.spaceFreePercent(), d.spaceDaysUntilFull(), 100, d.copyBehindMinutes(), d.verifyMaxDays(),
                d.remindMinutes(), null, null));
        StorageUsage at84 = new StorageUsage("cloud", true, 84 * GIB, null, null, List.of());
        StorageUsage at85 = new StorageUsage("cloud", true, 85 * GIB, null, null, List.of());
        StorageUsage at100 = new StorageUsage("cloud", true, 100 * GIB, null, null, List.of());
        assertThat(judge(quota100, at84)).isEmpty();
        assertThat(judge(quota100, at85)).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("bucket-quota:cloud");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
        });
        assertThat(judge(quota100, at100)).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(judge(DEFAULTS, at100)).as("no quota configured").isEmpty();
    }
}
