package dev.cellar.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.repo.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CellarMetricsTest {
    private static final Instant NOW = Instant.parse("2027-03-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final CellarMetrics metrics = new CellarMetrics(clock, new BuildInfo("1.2.3", "21.0.5"));

    @Test
    void everyDefinedMetricIsExportedUnderItsPrometheusNameWhenEveryFigureIsSet() {
        metrics.publish(Snapshots.complete(NOW));

        List<String> exported = ExportedNames.of(metrics.scrape());

        assertThat(exported).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(CellarMetric.values()).map(CellarMetric::prometheusName).toList());
    }

    @Test
    void samplesCarryTheSnapshotsValuesWithTheirLabels() {
        metrics.publish(Snapshots.complete(NOW));

        String text = metrics.scrape();

        assertThat(text).contains("cellar_true_rpo_seconds{database=\"restaurant_ordering\"} 90.0")
                .contains("cellar_rpo_objective_seconds{database=\"restaurant_ordering\"} 900.0")
                .contains("cellar_job_runs_total{database=\"payroll\",job_type=\"backup-full\",status=\"failed\"} 2.0")
                .contains("cellar_copy_behind_objects{kind=\"wal\",repository=\"cloud\"} 7.0")
                .contains("cellar_build_info{java_version=\"21.0.5\",version=\"1.2.3\"} 1")
                .contains("cellar_up 1.0")
                .contains("# TYPE cellar_job_runs_total counter")
                .contains("# TYPE cellar_true_rpo_seconds gauge");
    }

    @Test
    void agesGrowWithTheClockBetweenTwoSnapshots() {
        metrics.publish(Snapshots.complete(NOW));
        clock.advance(Duration.ofMinutes(20));

        String text = metrics.scrape();

        assertThat(text).contains("cellar_true_rpo_seconds{database=\"restaurant_ordering\"} 1290.0")
                .contains("cellar_wal_archive_lag_seconds{database=\"restaurant_ordering\"} 1230.0");
    }

    @Test
    void aDatabaseThatLeavesTheSnapshotLeavesTheOutput() {
        metrics.publish(Snapshots.complete(NOW));
        assertThat(metrics.scrape()).contains("database=\"payroll\"");

        metrics.publish(Snapshots.withoutOtherDatabase(NOW));
        String text = metrics.scrape();

        assertThat(text).doesNotContain("payroll").contains("cellar_true_rpo_seconds{database=\"restaurant_ordering\"}");
    }

    @Test
    void beforeAnySnapshotOnlyTheNodesOwnFiguresAreExported() {
        List<String> exported = ExportedNames.of(metrics.scrape());

        assertThat(exported).containsExactlyInAnyOrder("cellar_up", "cellar_build_info", "cellar_snapshot_timestamp_seconds",
                "cellar_scheduler_jobs_running");
    }

    @Test
    void aJobWithoutFailuresStillExportsItsFailedCounterAtZero() {
        MonitoringSnapshot.Job clean = new MonitoringSnapshot.Job("verify", Snapshots.DATABASE, Optional.of(NOW), Optional.empty(),
                Optional.empty(), java.util.Map.of("ok", 3L));
        metrics.publish(new MonitoringSnapshot(NOW, new MonitoringSnapshot.Scheduler(Optional.of(NOW), 0), List.of(clean), List.of(),
                List.of()));

        assertThat(metrics.scrape())
                .contains("cellar_job_runs_total{database=\"restaurant_ordering\",job_type=\"verify\",status=\"failed\"} 0.0")
                .contains("cellar_job_runs_total{database=\"restaurant_ordering\",job_type=\"verify\",status=\"ok\"} 3.0");
    }

    @Test
    void nothingRecoverableIsAnInfiniteRpoAndANeverPassedRestoreTestIsEpochZero() {
        MonitoringSnapshot.Database db = Snapshots.database(NOW, "fresh");
        MonitoringSnapshot.Database fresh = new MonitoringSnapshot.Database("fresh", List.of(), db.dedupRatio(), Optional.empty(),
                db.rpoObjective(), Optional.empty(), Optional.empty());
        metrics.publish(new MonitoringSnapshot(NOW, new MonitoringSnapshot.Scheduler(Optional.of(NOW), 0), List.of(), List.of(fresh),
                List.of()));

        String text = metrics.scrape();

        assertThat(text).contains("cellar_true_rpo_seconds{database=\"fresh\"} +Inf")
                .contains("cellar_last_restore_test_success_timestamp_seconds{database=\"fresh\"} 0.0")
                .doesNotContain("cellar_wal_archive_lag_seconds{");
    }
}
