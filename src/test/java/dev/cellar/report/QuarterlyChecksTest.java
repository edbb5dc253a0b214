package dev.cellar.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.drill.DrillSummary;
import dev.cellar.lifecycle.erasure.LedgerEntry;
import dev.cellar.repo.AuditRecord;
import dev.cellar.storage.Retention;
import dev.cellar.wal.WalInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each quarterly check's decision over plain records built here. */
class QuarterlyChecksTest {
    private static final ReportPeriod Q4 = ReportPeriod.quarter("2026Q4");
    private static final Instant OCT_5 = Instant.parse("2026-10-05T02:00:00Z");
    private static final Instant NOV_5 = Instant.parse("2026-11-05T02:00:00Z");
    private static final Instant END = Instant.parse("2027-01-01T00:00:00Z");

    private final List<AuditRecord> trail = new ArrayList<>();

    private AuditRecord record(Instant time, String operation, String target, String result, String detail) {
        AuditRecord r = new AuditRecord(trail.size() + 1, time, "dba", "host", operation, target, result, detail, 0, 0, "prev", "mac");
        trail.add(r);
        return r;
    }

    private static BackupFact logical(String id, Instant finished, long openedBy) {
        return new BackupFact(id, "shop", "logical", finished, openedBy, null, null);
    }

    private static DrillSummary drill(String id, Instant started, boolean passed, Duration rto, List<String> backups, String... failures) {
        return new DrillSummary(id, "shop", started, started.plusSeconds(600), passed, rto, Duration.ofSeconds(30), Duration.ofHours(4),
                Duration.ofMinutes(15), List.of(failures), backups);
    }

    @Test
    void periodsParseAndCoverTheirMonthsInUtc() {
        // what the server's scheduled reports ask for: the period that ended last
        assertThat(ReportPeriod.quarter("previous", Instant.parse("2027-01-02T06:00:00Z")).label()).isEqualTo("2026Q4");
        assertThat(ReportPeriod.quarter("previous", Instant.parse("2026-12-03T00:00:00Z")).label()).isEqualTo("2026Q3");
        assertThat(ReportPeriod.quarter("2026Q1", Instant.parse("2026-12-03T00:00:00Z")).label()).isEqualTo("2026Q1");
        assertThat(ReportPeriod.year("previous", Instant.parse("2027-01-02T07:00:00Z")).label()).isEqualTo("2026");
        assertThat(ReportPeriod.year("2025", Instant.parse("2027-01-02T07:00:00Z")).label()).isEqualTo("2025");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportPeriod.year("last", Instant.EPOCH)).hasMessageContaining("'last' is not a year");
        assertThat(Q4.from()).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
        assertThat(Q4.to()).isEqualTo(END);
        assertThat(ReportPeriod.quarter("2026-q1").label()).isEqualTo("2026Q1");
        assertThat(Q4.monthsBegunBy(Instant.parse("2026-11-20T00:00:00Z"))).extracting(Object::toString).containsExactly("2026-10", "2026-11");
        assertThat(ReportPeriod.year(2026).contains(Instant.parse("2026-12-31T23:59:59Z"))).isTrue();
        assertThat(ReportPeriod.year(2026).contains(END)).isFalse();
    }

    @Test
    void aBackupIsVerifiedOnlyByAnOkRecordOrPassedDrillAfterItFinished() {
        record(OCT_5, "backup.logical", "u@h:5432/shop", AuditRecord.OK, "b1");
        record(OCT_5.plusSeconds(60), "verify", "all", AuditRecord.OK, "1 backup ok");
        record(OCT_5.plusSeconds(120), "backup.logical", "u@h:5432/shop", AuditRecord.OK, "b2");
        record(OCT_5.plusSeconds(180), "verify", "all", AuditRecord.FAILED, "1 damaged");
        record(OCT_5.plusSeconds(200), "verify.restore-test", "b1", AuditRecord.OK, "ok");
        record(OCT_5.plusSeconds(240), "backup.logical", "u@h:5432/shop", AuditRecord.OK, "b3");
        record(OCT_5.plusSeconds(300), "verify.restore-test", "b3", AuditRecord.OK, "ok");
        record(OCT_5.plusSeconds(360), "backup.logical", "u@h:5432/shop", AuditRecord.OK, "b4");
        List<BackupFact> backups = List.of(logical("b1", OCT_5, 1), logical("b2", OCT_5.plusSeconds(120), 3),
                logical("b3", OCT_5.plusSeconds(240), 6), logical("b4", OCT_5.plusSeconds(360), 8));
        List<DrillSummary> drills = List.of(drill("d1", OCT_5.plusSeconds(400), true, Duration.ofMinutes(5), List.of("b4")),
                drill("d0", OCT_5.plusSeconds(100), true, Duration.ofMinutes(5), List.of("b2")));

        ReportCheck check = BackupVerificationCheck.evaluate(Q4, "shop", backups, trail, drills);

        assertThat(check.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("b2");
            assertThat(f.evidence()).containsExactly("audit record #3 (finished b2)");
        });
        assertThat(String.join("\n", check.evidence())).contains("b1 (").contains("verify, audit record #2 (target all)")
                .contains("restore test, audit record #7").contains("restored by passed drill d1");
        assertThat(check.summary()).isEqualTo("3 of 4 backups finished in 2026Q4 verified afterwards");
    }

    @Test
    void aBackupTheTrailSaysFinishedThatIsGoneAndNotExpiredFailsOnItsOwn() {
        record(OCT_5, "backup.logical", "u@h:5432/shop", AuditRecord.OK, "gone");
        record(OCT_5, "backup.logical", "u@h:5432/shop", AuditRecord.OK, "expired");
        record(OCT_5, "expire", "repo", AuditRecord.STARTED, "delete 1 backups (expired)");
        record(OCT_5.plusSeconds(10), "verify", "gone,other", AuditRecord.OK, "ok");

        ReportCheck check = BackupVerificationCheck.evaluate(Q4, "shop", List.of(), trail, List.of());

        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("gone");
            assertThat(f.reason()).contains("neither in the repository nor expired by Cellar");
            assertThat(f.evidence()).containsExactly("audit record #1");
        });
    }

    @Test
    void backupsOutsideTheQuarterOrOfAnotherDatabaseAreNotJudged() {
        List<BackupFact> backups = List.of(logical("september", Instant.parse("2026-09-30T23:59:59Z"), 1),
                new BackupFact("other-db", "crm", "logical", OCT_5, 2, null, null));

        ReportCheck check = BackupVerificationCheck.evaluate(Q4, "shop", backups, trail, List.of());

        assertThat(check.status()).isEqualTo(CheckStatus.PASSED);
        assertThat(check.summary()).isEqualTo("no backup finished in 2026Q4");
    }

    @Test
    void aClusterBackupHoldsEveryDatabaseSoAReportOnOneDatabaseJudgesIt() {
        List<BackupFact> backups = List.of(new BackupFact("cluster", null, "physical", OCT_5, 1, "000000010000000000000008", null),
                new BackupFact("other-db", "crm", "logical", OCT_5, 2, null, null));

        ReportCheck check = BackupVerificationCheck.evaluate(Q4, "shop", backups, trail, List.of());

        assertThat(check.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(check.findings()).extracting(ReportFinding::subject).containsExactly("cluster");
    }

    @Test
    void aMonthWithoutADrillIsMissedAndOneWithOnlyFailedDrillsFailsCitingThem() {
        List<DrillSummary> drills = List.of(
                drill("d-oct-bad", OCT_5, false, Duration.ofMinutes(5), List.of(), "RPO 2 min exceeds 15 s"),
                drill("d-oct-bad2", OCT_5.plusSeconds(3600), false, Duration.ofMinutes(5), List.of(), "orphans in orders"),
                drill("d-dec", Instant.parse("2026-12-02T00:00:00Z"), true, Duration.ofMinutes(5), List.of()),
                drill("d-dec-late", Instant.parse("2026-12-20T00:00:00Z"), true, Duration.ofMinutes(5), List.of()));

        ReportCheck check = DrillCheck.evaluate(Q4, "shop", Instant.parse("2026-12-10T00:00:00Z"), drills);

        assertThat(check.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(check.findings()).extracting(ReportFinding::subject).containsExactly("2026-10", "2026-11");
        assertThat(check.findings().get(0).evidence()).containsExactly("drill d-oct-bad", "drill d-oct-bad2");
        assertThat(check.findings().get(0).reason()).contains("RPO 2 min exceeds 15 s").contains("orphans in orders");
        assertThat(check.findings().get(1).reason()).isEqualTo("missed drill for 2026-11: no drill ran that month");
        assertThat(check.evidence()).singleElement().asString().startsWith("2026-12: drill d-dec passed");
        assertThat(check.summary()).isEqualTo("1 of 3 months with a passed drill");
    }

    @Test
    void aPassedDrillOverItsRtoObjectiveIsNotBelieved() {
        List<DrillSummary> drills = List.of(drill("slow", OCT_5, true, Duration.ofHours(5), List.of()));

        ReportCheck check = DrillCheck.evaluate(Q4, null, Instant.parse("2026-10-20T00:00:00Z"), drills);

        assertThat(check.findings()).singleElement().satisfies(f -> assertThat(f.reason()).contains("RTO 5 h exceeds the objective 4 h"));
    }

    @Test
    void walGapsAfterTheOldestPhysicalBackupOfTheQuarterAreCitedByName() {
        BackupFact physical = new BackupFact("p1", "shop", "physical", OCT_5, 1, "000000010000000000000010", null);
        WalInventory inventory = new WalInventory(
                List.of(new WalInventory.TimelineRange(1, "000000010000000000000002", "000000010000000000000030", 40, 0, false)),
                List.of(new WalInventory.Gap(1, "000000010000000000000005", "000000010000000000000006", 2),
                        new WalInventory.Gap(1, "000000010000000000000021", "000000010000000000000021", 1)));

        ReportCheck check = WalContinuityCheck.evaluate(Q4, List.of(physical), inventory);
        ReportCheck logicalOnly = WalContinuityCheck.evaluate(Q4, List.of(logical("l", OCT_5, 1)), inventory);

        assertThat(check.findings()).singleElement().satisfies(f ->
                assertThat(f.reason()).isEqualTo("1 WAL file(s) missing: 000000010000000000000021"));
        assertThat(logicalOnly.status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
    }

    @Test
    void wormLocksMustBeHeldAsLongAsRecordedAndStorageWithoutRetentionIsNotApplicable() {
        Instant until = Instant.parse("2027-06-01T00:00:00Z");
        Retention compliance = new Retention(Retention.Mode.COMPLIANCE, until);
        List<BackupFact> backups = List.of(new BackupFact("held", "shop", "logical", OCT_5, 1, null, compliance),
                new BackupFact("short", "shop", "logical", OCT_5, 2, null, compliance),
                new BackupFact("bare", "shop", "logical", OCT_5, 3, null, compliance),
                new BackupFact("unlocked", "shop", "logical", OCT_5, 4, null, null));
        Map<String, Optional<Retention>> held = Map.of("held", Optional.of(compliance),
                "short", Optional.of(new Retention(Retention.Mode.COMPLIANCE, until.minusSeconds(86_400))), "bare", Optional.empty());

        ReportCheck check = WormLockCheck.evaluate(true, "s3://bucket", backups, held, NOV_5);
        ReportCheck plainDisk = WormLockCheck.evaluate(false, "/srv/repo", backups, held, NOV_5);

        assertThat(check.findings()).extracting(ReportFinding::subject).containsExactly("short", "bare");
        assertThat(check.evidence()).singleElement().asString().startsWith("held: compliance until");
        assertThat(plainDisk.status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
        assertThat(plainDisk.summary()).contains("keeps no object retention");
    }

    @Test
    void anArchiveCountsAsVerifiedOnlyByAnOkVerifyOfItAfterItsCreation() {
        record(OCT_5, "archive create", "shop/orders/2020", AuditRecord.OK, "2 tables");
        record(OCT_5.plusSeconds(5), "archive verify", "shop/orders/2020", AuditRecord.OK, "0 problems");
        record(OCT_5.plusSeconds(9), "archive verify", "shop/orders/2021", AuditRecord.OK, "0 problems");
        record(OCT_5.plusSeconds(10), "archive create", "shop/orders/2021", AuditRecord.OK, "2 tables");
        record(OCT_5.plusSeconds(20), "archive verify", "shop/orders/2021", AuditRecord.FAILED, "1 problem");

        ReportCheck check = ArchiveVerificationCheck.evaluate(Q4, "shop", trail);

        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("shop/orders/2021");
            assertThat(f.evidence()).containsExactly("audit record #4");
        });
        assertThat(check.evidence()).containsExactly("shop/orders/2020: created in audit record #1, verified in #2");
        assertThat(ArchiveVerificationCheck.evaluate(ReportPeriod.quarter("2026Q3"), "shop", trail).status())
                .isEqualTo(CheckStatus.NOT_APPLICABLE);
    }

    @Test
    void aRestoreWithoutARecordedReapplicationIsNotEvidencedAndAnErasureDueAndUnappliedFails() {
        record(OCT_5, "restore.logical", "u@h:5432/shop_copy", AuditRecord.OK, "b1");
        record(OCT_5.plusSeconds(10), "gdpr.reapply", "shop_copy", AuditRecord.OK, "ledger of shop: 1 subject");
        record(NOV_5, "restore.pitr", "/srv/pg/data", AuditRecord.OK, "backup p1 to latest: promoted");
        record(NOV_5, "restore.logical", "u@h:5432/cellar_restore_test_0a1b", AuditRecord.OK, "b1");
        record(NOV_5, "restore.pitr", "/tmp/cellar-drill-123/data", AuditRecord.OK, "backup p1 to lsn 0/5000000: promoted");
        record(NOV_5.plusSeconds(5), "restore.logical", "u@h:5432/shop", AuditRecord.OK,
                "b1; erasure ledger re-applied (2 entries, 1 subject(s) found, 3 row(s) changed)");
        LedgerEntry onTime = request(1, Instant.parse("2026-10-20T00:00:00Z"));
        LedgerEntry applied = application(2, 1, Instant.parse("2026-10-10T00:00:00Z"));
        LedgerEntry overdue = request(3, Instant.parse("2026-11-01T00:00:00Z"));
        LedgerEntry notYetDue = request(4, Instant.parse("2026-12-30T00:00:00Z"));

        List<LedgerEntry> ledger = List.of(onTime, applied, overdue, notYetDue);
        ReportCheck check = RestoreErasureCheck.evaluate(Q4, "shop", Instant.parse("2026-12-01T00:00:00Z"), trail, ledger);
        ReportCheck restoresOnly = RestoreErasureCheck.evaluate(Q4, "shop", Instant.parse("2026-12-01T00:00:00Z"), trail,
                List.of(onTime, applied));

        assertThat(check.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(check.findings()).extracting(ReportFinding::subject).containsExactly("erasure request 3", "/srv/pg/data");
        assertThat(restoresOnly.status()).isEqualTo(CheckStatus.NOT_EVIDENCED);
        assertThat(restoresOnly.evidence()).contains("restore.logical into u@h:5432/shop_copy (audit record #1): erasures re-applied in audit record #2",
                "restore.logical into u@h:5432/shop (audit record #6): its own record says the erasure ledger was re-applied before hand-over",
                "erasure request 1 due 2026-10-20T00:00:00Z: applied in ledger entry 2");
    }

    @Test
    void aReportFailsOnlyWhenACheckFails() {
        ComplianceReport report = new ComplianceReport("r1", ReportStore.QUARTERLY, "2026Q4", "shop", Q4.from(), Q4.to(), END, END, "repo",
                List.of(ReportCheck.notApplicable("WORM locks held", "no retention"),
                        new ReportCheck("restores", CheckStatus.NOT_EVIDENCED, "1 restore", List.of(new ReportFinding("x", "not shown", List.of())),
                                List.of())));
        assertThat(report.passed()).isTrue();
        assertThat(report.failures()).isEmpty();
    }

    private static LedgerEntry request(long sequence, Instant due) {
        return new LedgerEntry(sequence, "prev", LedgerEntry.REQUESTED, sequence, "shop", "public.users", "hash", null,
                due.minus(Duration.ofDays(30)), due, due.minus(Duration.ofDays(30)), Map.of(), "dba", null);
    }

    private static LedgerEntry application(long sequence, long request, Instant at) {
        return new LedgerEntry(sequence, "prev", LedgerEntry.APPLIED, request, "shop", "public.users", "hash", null, at, at, at,
                Map.of("public.users", 1L), "dba", null);
    }
}
