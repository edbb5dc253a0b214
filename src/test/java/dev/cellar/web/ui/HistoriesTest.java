package dev.cellar.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.server.alert.AlertThresholds;
import dev.cellar.server.alert.SizeDeviationCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HistoriesTest {
    private static final Instant START = Instant.parse("2026-01-01T02:00:00Z");
    private static final AlertThresholds THRESHOLDS = AlertThresholds.defaults();

    private static Histories.LoggedSize daily(int day, String kind, long bytes) {
        return new Histories.LoggedSize("b" + day + kind, kind, START.plus(Duration.ofDays(day)), bytes, bytes / 10, Duration.ofMinutes(3));
    }

    @Test
    void theBandIsTheMedianOfTheSevenBackupsBeforeGiveOrTakeTwentyPercent() {
        List<Histories.LoggedSize> backups = new ArrayList<>();
        long[] sizes = {100, 100, 100, 100, 100, 100, 100, 200};
        for (int day = 0; day < sizes.length; day++) {
            backups.add(daily(day, "logical", sizes[day]));
        }

        List<History.BackupPoint> points = Histories.withBands(backups, START, THRESHOLDS);

        History.BackupPoint doubled = points.get(points.size() - 1);
        assertThat(doubled.band().median()).isEqualTo(100.0);
        assertThat(doubled.band().low()).isEqualTo(80.0);
        assertThat(doubled.band().high()).isEqualTo(120.0);
        assertThat(doubled.outsideBand()).isTrue();
        assertThat(points.get(6).outsideBand()).isFalse();
    }

    @Test
    void theFirstBackupsHaveNoBandUntilThreeComparableOnesCameBefore() {
        List<Histories.LoggedSize> backups = List.of(daily(0, "logical", 100), daily(1, "logical", 100), daily(2, "logical", 100),
                daily(3, "logical", 500));

        List<History.BackupPoint> points = Histories.withBands(backups, START, THRESHOLDS);

        assertThat(points.subList(0, 3)).allMatch(p -> p.band() == null && !p.outsideBand());
        assertThat(points.get(3).outsideBand()).isTrue();
    }

    @Test
    void backupsBeforeTheWindowGiveTheWindowsFirstBackupItsBandButAreNotDrawn() {
        List<Histories.LoggedSize> backups = List.of(daily(0, "logical", 100), daily(1, "logical", 100), daily(2, "logical", 100),
                daily(3, "logical", 100));

        List<History.BackupPoint> points = Histories.withBands(backups, START.plus(Duration.ofDays(3)), THRESHOLDS);

        assertThat(points).hasSize(1);
        assertThat(points.get(0).band()).isNotNull();
    }

    @Test
    void kindsAreComparedOnlyWithThemselvesAsTheAlertDoes() {
        List<Histories.LoggedSize> backups = new ArrayList<>();
        for (int day = 0; day < 4; day++) {
            backups.add(daily(day, "logical", 1000));
            backups.add(daily(day, "physical-incremental", 10));
        }

        List<History.BackupPoint> points = Histories.withBands(backups, START, THRESHOLDS);

        assertThat(points).noneMatch(History.BackupPoint::outsideBand);
    }

    @Test
    void theBandAgreesWithTheAlertAtItsEdge() {
        // 120 is exactly 20% above a median of 100: the alert stays silent, so the point is inside the band
        List<Histories.LoggedSize> backups = List.of(daily(0, "logical", 100), daily(1, "logical", 100), daily(2, "logical", 100),
                daily(3, "logical", 120), daily(4, "logical", 100), daily(5, "logical", 100), daily(6, "logical", 79));
        List<History.BackupPoint> points = Histories.withBands(backups, START, THRESHOLDS);

        assertThat(points.get(3).outsideBand()).isFalse();
        assertThat(points.get(6).outsideBand()).isTrue();
        assertThat(SizeDeviationCondition.baseline(new long[] {100, 100}, THRESHOLDS)).isEmpty();
    }

    @Test
    void growthAddsStoredBytesAndTakesBackWhatExpired() {
        TreeMap<LocalDate, Long> added = new TreeMap<>();
        TreeMap<LocalDate, Long> removed = new TreeMap<>();
        LocalDate d = LocalDate.of(2026, 1, 10);
        added.put(d.minusDays(5), 1000L);
        added.put(d, 100L);
        added.put(d.plusDays(1), 100L);
        removed.put(d.plusDays(2), 500L);

        List<History.GrowthPoint> growth = Histories.growth(added, removed, d, d.plusDays(2));

        assertThat(growth).extracting(History.GrowthPoint::storedBytes).containsExactly(1100L, 1200L, 700L);
    }
}
