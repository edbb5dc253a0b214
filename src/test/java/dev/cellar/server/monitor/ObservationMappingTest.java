package dev.cellar.server.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.server.alert.AlertEvaluator;
import dev.cellar.server.alert.AlertInputs;
import dev.cellar.server.alert.AlertThresholds;
import dev.cellar.server.alert.Finding;
import dev.cellar.server.alert.JobRun;
import dev.cellar.server.alert.ScheduledSlot;
import dev.cellar.server.alert.VerificationRun;
import dev.cellar.server.alert.WalStatus;
import dev.cellar.server.metrics.MonitoringSnapshot;
import dev.cellar.server.run.JobLedger.RecordedRun;
import dev.cellar.server.run.RunStatus;
import dev.cellar.server.schedule.ScheduleParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure mappings from one round's facts to alert inputs and the metrics snapshot, on plain records. */
class ObservationMappingTest {
    private static final Instant NOW = Instant.parse("2027-03-10T12:00:00Z");
    private static final String DB = "restaurant_ordering";
    private static final WatchedDatabase PHYSICAL = new WatchedDatabase(DB, "db1:5432", true, Duration.ofMinutes(15));
    private static final PlannedJob FULL = new PlannedJob("full:" + DB, "backup-full", DB, Duration.ofHours(6), Optional.of(Duration.ofHours(25)));

    private static RecordedRun run(long id, String kind, Instant slot, int attempt, RunStatus status, boolean late, String error) {
        return new RecordedRun(id, "full:" + DB, kind, DB, slot, attempt, "node-a", status, late, late ? 2 : 0, slot.plusSeconds(1),
                status == RunStatus.RUNNING ? null : slot.plusSeconds(61), error);
    }

    private static LoggedBackup logical(String id, Instant started, long bytes) {
        return new LoggedBackup(DB, "logical", null, id, started, started.plusSeconds(60), bytes, bytes / 4);
    }

    private static ObservedFacts facts(JobRunFacts runs, BackupLogFacts log, Map<String, WalFacts> wal, Map<String, Long> previous) {
        return new ObservedFacts(NOW, List.of(PHYSICAL), List.of(FULL), runs, log, wal, previous, null,
                new MonitoringSnapshot.Scheduler(Optional.of(NOW), 0));
    }

    @Test
    void failedRunBecomesAFailedJobWithItsTimeoutAndTimedOutCountsAsFailed() {
        Instant day1 = NOW.minus(Duration.ofDays(2));
        Instant day2 = NOW.minus(Duration.ofDays(1));
        JobRunFacts runs = new JobRunFacts(List.of(run(1, "backup-full", day1, 1, RunStatus.TIMED_OUT, false, null),
                run(2, "backup-full", day2, 1, RunStatus.FAILED, true, "database unreachable")), List.of());

        AlertInputs inputs = AlertInputsMapping.of(facts(runs, null, Map.of(), Map.of()));

        assertThat(inputs.jobRuns()).extracting(JobRun::job, JobRun::variant, JobRun::status, JobRun::timeout)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("backup", "full", JobRun.Status.FAILED, Duration.ofHours(6)),
                        org.assertj.core.groups.Tuple.tuple("backup", "full", JobRun.Status.FAILED, Duration.ofHours(6)));
        assertThat(inputs.jobRuns().get(0).error()).startsWith("stopped after its time-out");
        assertThat(inputs.slots()).extracting(ScheduledSlot::outcome).containsExactly(ScheduledSlot.Outcome.ON_TIME, ScheduledSlot.Outcome.LATE);
        List<Finding> findings = new AlertEvaluator(AlertEvaluator.allConditions(), AlertThresholds.defaults()).evaluate(inputs).findings();
        assertThat(findings).extracting(Finding::condition).contains("job-failed", "schedule-late");
        assertThat(findings.stream().filter(f -> f.condition().equals("job-failed")).findFirst().orElseThrow().summary())
                .contains("backup full of " + DB, "2 runs in a row");
    }

    @Test
    void skippedSlotIsASlotNotARunAndRetriesAreNotNewSlots() {
        Instant slot = NOW.minus(Duration.ofHours(1));
        JobRunFacts runs = new JobRunFacts(List.of(run(1, "backup-full", slot, 1, RunStatus.SKIPPED, false, null),
                run(2, "backup-full", slot.minusSeconds(3600), 2, RunStatus.OK, false, null)), List.of());

        AlertInputs inputs = AlertInputsMapping.of(facts(runs, null, Map.of(), Map.of()));

        assertThat(inputs.jobRuns()).extracting(JobRun::status).containsExactly(JobRun.Status.SUCCEEDED);
        assertThat(inputs.slots()).extracting(ScheduledSlot::outcome, ScheduledSlot::startedAt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ScheduledSlot.Outcome.SKIPPED, null));
    }

    @Test
    void unreadPartsStayUnobservedRatherThanEmpty() {
        AlertInputs inputs = AlertInputsMapping.of(facts(null, null, Map.of(), Map.of()));

        assertThat(inputs.jobRuns()).isNull();
        assertThat(inputs.backupSizes()).isNull();
        assertThat(inputs.recoveryPoints()).isNull();
        assertThat(inputs.verifications()).isNull();
        assertThat(inputs.storage()).isNull();
        assertThat(inputs.copies()).isNull();
        assertThat(inputs.wal()).isEmpty();
        MonitoringSnapshot snapshot = SnapshotMapping.of(facts(null, null, Map.of(), Map.of()));
        assertThat(snapshot.databases().get(0).newestRecoverablePoint()).isEmpty();
        assertThat(snapshot.repositories()).isEmpty();
    }

    @Test
    void backupThirtyPercentSmallerThanTheMedianOpensSizeDeviation() {
        List<LoggedBackup> backups = List.of(logical("b1", NOW.minus(Duration.ofDays(4)), 1000), logical("b2", NOW.minus(Duration.ofDays(3)), 1010),
                logical("b3", NOW.minus(Duration.ofDays(2)), 990), logical("b4", NOW.minus(Duration.ofDays(1)), 700));
        BackupLogFacts log = new BackupLogFacts(backups, List.of(new BackupLogFacts.Retained(DB, 3700, 925)), List.of());

        AlertInputs inputs = AlertInputsMapping.of(facts(null, log, Map.of(), Map.of()));

        List<Finding> findings = new AlertEvaluator(AlertEvaluator.allConditions(), AlertThresholds.defaults()).evaluate(inputs).findings();
        assertThat(findings).filteredOn(f -> f.condition().equals("size-deviation")).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("30% smaller"));
        MonitoringSnapshot.Database db = SnapshotMapping.of(facts(null, log, Map.of(), Map.of())).databases().get(0);
        assertThat(db.newestBackups()).containsExactly(new MonitoringSnapshot.Backup("logical", 700, 175));
        assertThat(db.dedupRatio().getAsDouble()).isEqualTo(4.0);
        // a logical dump is as of its snapshot, taken when it started
        assertThat(db.newestRecoverablePoint()).contains(NOW.minus(Duration.ofDays(1)));
    }

    @Test
    void walArchivedAfterAPhysicalBackupMovesTheRecoveryPointForward() {
        Instant backupEnd = NOW.minus(Duration.ofHours(3));
        LoggedBackup physical = new LoggedBackup(DB, "physical", "full", "p1", backupEnd.minusSeconds(600), backupEnd, 5000L, 5000L);
        WalFacts archiving = new WalFacts("db1:5432", true, 40, "000000010000000000000028", NOW.minus(Duration.ofMinutes(2)), 0, null,
                null, 0L, null);

        assertThat(RecoveryPoints.newest(PHYSICAL, List.of(physical), archiving)).contains(NOW.minus(Duration.ofMinutes(2)));
        // WAL older than the backup adds nothing; a logical-only database ignores WAL
        WalFacts stale = new WalFacts("db1:5432", true, 40, null, backupEnd.minusSeconds(7200), 0, null, null, 0L, null);
        assertThat(RecoveryPoints.newest(PHYSICAL, List.of(physical), stale)).contains(backupEnd);
        LoggedBackup dump = logical("l1", NOW.minus(Duration.ofHours(5)), 100);
        assertThat(RecoveryPoints.newest(PHYSICAL, List.of(dump), archiving)).contains(NOW.minus(Duration.ofHours(5)));
        assertThat(RecoveryPoints.newest(PHYSICAL, List.of(), archiving)).isEmpty();
    }

    @Test
    void brokenArchiveCommandYieldsWalFactsThatOpenTheWalAlerts() {
        WalFacts failing = new WalFacts("db1:5432", true, 0, null, null, 5, "000000010000000000000002", NOW.minusSeconds(10), 1L, null);

        AlertInputs inputs = AlertInputsMapping.of(facts(null, null, Map.of("db1:5432", failing), Map.of("db1:5432", 2L)));

        assertThat(inputs.wal()).singleElement().satisfies(w -> {
            assertThat(w.walWaiting()).isTrue();
            assertThat(w.previousFailedCount()).isEqualTo(2L);
        });
        List<Finding> findings = new AlertEvaluator(AlertEvaluator.allConditions(), AlertThresholds.defaults()).evaluate(inputs).findings();
        assertThat(findings).extracting(Finding::condition).contains("wal-archive-delay", "wal-archive-failing");
    }

    @Test
    void serverWithoutArchivingOrSlotIsNotJudgedForWal() {
        WalFacts off = new WalFacts("db1:5432", false, 0, null, null, 0, null, null, null, null);
        WalFacts streaming = new WalFacts("db2:5432", false, 0, null, null, 0, null, null, null, 128L * 1024 * 1024);

        List<WalStatus> wal = AlertInputsMapping.of(facts(null, null, Map.of("db1:5432", off, "db2:5432", streaming), Map.of())).wal();

        assertThat(wal).singleElement().satisfies(w -> {
            assertThat(w.server()).isEqualTo("db2:5432");
            assertThat(w.walWaiting()).isFalse();
            assertThat(w.streamLagBytes()).isEqualTo(128L * 1024 * 1024);
        });
    }

    @Test
    void repositoryWideVerifyCountsForEveryDatabaseAndRestoreTestsForTheirOwn() {
        BackupLogFacts log = new BackupLogFacts(List.of(), List.of(), List.of(
                new BackupLogFacts.Check(false, null, NOW.minusSeconds(60), true, null),
                new BackupLogFacts.Check(true, DB, NOW.minusSeconds(30), false, "row counts differ"),
                new BackupLogFacts.Check(true, DB, NOW.minus(Duration.ofDays(1)), true, null),
                new BackupLogFacts.Check(true, null, NOW.minusSeconds(10), false, "backup gone")));
        JobRunFacts runs = new JobRunFacts(List.of(new RecordedRun(9, "verify:" + DB, "verify", DB, NOW.minusSeconds(300), 1, "n",
                RunStatus.FAILED, false, 0, NOW.minusSeconds(299), NOW.minusSeconds(5), "repository unreachable")), List.of());

        AlertInputs inputs = AlertInputsMapping.of(facts(runs, log, Map.of(), Map.of()));

        assertThat(inputs.verifications().runs()).extracting(VerificationRun::kind, VerificationRun::passed).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(VerificationRun.Kind.VERIFY, true),
                org.assertj.core.groups.Tuple.tuple(VerificationRun.Kind.RESTORE_TEST, false),
                org.assertj.core.groups.Tuple.tuple(VerificationRun.Kind.RESTORE_TEST, true),
                org.assertj.core.groups.Tuple.tuple(VerificationRun.Kind.VERIFY, false));
        assertThat(inputs.jobRuns()).singleElement().satisfies(r -> assertThat(r.job()).isEqualTo("verify"));
        assertThat(SnapshotMapping.of(facts(runs, log, Map.of(), Map.of())).databases().get(0).lastRestoreTestSuccess())
                .contains(NOW.minus(Duration.ofDays(1)));
    }

    @Test
    void snapshotHasAJobPerPlannedJobAndPerRecordedKindWithTheLedgersFigures() {
        JobRunFacts.Totals full = new JobRunFacts.Totals("backup-full", DB, NOW.minusSeconds(3600), Duration.ofSeconds(61),
                Map.of("ok", 5L, "failed", 1L));
        JobRunFacts.Totals sync = new JobRunFacts.Totals("sync", null, null, Duration.ofSeconds(3), Map.of("failed", 2L));

        List<MonitoringSnapshot.Job> jobs = SnapshotMapping.of(facts(new JobRunFacts(List.of(), List.of(full, sync)), null, Map.of(), Map.of()))
                .jobs();

        assertThat(jobs).containsExactly(
                new MonitoringSnapshot.Job("backup-full", DB, Optional.of(NOW.minusSeconds(3600)), Optional.of(Duration.ofHours(25)),
                        Optional.of(Duration.ofSeconds(61)), Map.of("ok", 5L, "failed", 1L)),
                new MonitoringSnapshot.Job("sync", SnapshotMapping.WHOLE_REPOSITORY, Optional.empty(), Optional.empty(),
                        Optional.of(Duration.ofSeconds(3)), Map.of("failed", 2L)));
    }

    @Test
    void successObjectiveIsTheWidestGapPlusAnHour() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(SuccessObjectives.of(ScheduleParser.parse("daily 02:00", berlin), NOW)).contains(Duration.ofHours(25));
        assertThat(SuccessObjectives.of(ScheduleParser.parse("hourly 07:00-23:00", berlin), NOW)).contains(Duration.ofHours(9));
        assertThat(SuccessObjectives.of(ScheduleParser.parse("off", berlin), NOW)).isEmpty();
    }
}
