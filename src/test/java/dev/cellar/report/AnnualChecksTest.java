package dev.cellar.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.lifecycle.retention.RetentionPlan;
import dev.cellar.repo.AuditRecord;
import dev.cellar.wal.WalInventory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The annual report's own checks (retention compliance, security assessment) over plain records built here. */
class AnnualChecksTest {
    private static final ReportPeriod YEAR = ReportPeriod.year(2026);
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    private static RetentionPlan plan(RetentionPlan.TablePlan... tables) {
        return new RetentionPlan("shop", "shop.yaml", AT, List.of(new RetentionPlan.CategoryPlan("orders", "P7Y", "hold", List.of(tables))),
                List.of());
    }

    @Test
    void rowsDueAndNotHeldFailCitingTableAndCountWhileHeldRowsAreReported() {
        RetentionPlan.Hold hold = new RetentionPlan.Hold("public.invoices", "invoices_order_fk", "RESTRICT", 3, "referenced");
        ReportCheck check = RetentionComplianceCheck.evaluate(plan(
                new RetentionPlan.TablePlan("public.orders", "placed_at", 12, 9, 3, List.of(hold), 0),
                new RetentionPlan.TablePlan("public.payments", "paid_at", 0, 0, 0, List.of(), 0)));

        assertThat(check.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("public.orders");
            assertThat(f.reason()).startsWith("9 row(s) of public.orders (category orders, retention P7Y");
        });
        assertThat(check.evidence()).containsExactly(
                "public.orders: 3 row(s) past retention held, referenced by rows that stay: 3 through invoices_order_fk from public.invoices",
                "public.payments (category orders, retention P7Y): no row past retention");
    }

    @Test
    void onlyHeldRowsPass() {
        RetentionPlan.Hold hold = new RetentionPlan.Hold("public.invoices", "fk", "RESTRICT", 2, "referenced");
        ReportCheck check = RetentionComplianceCheck.evaluate(plan(new RetentionPlan.TablePlan("public.orders", "placed_at", 2, 0, 2, List.of(hold), 0)));
        assertThat(check.status()).isEqualTo(CheckStatus.PASSED);
    }

    @Test
    void everyEndedMonthNeedsItsArchiveWhenTheScheduleIsOnAfterTwoDaysOfGrace() {
        Instant dec1 = Instant.parse("2026-12-01T12:00:00Z");
        ReportCheck check = MonthlyArchiveCheck.evaluate(YEAR, "shop", dec1, true,
                Set.of("2026-01", "2026-02", "2026-03", "2026-04", "2026-06", "2026-07", "2026-08", "2026-09"));
        ReportCheck off = MonthlyArchiveCheck.evaluate(YEAR, "shop", dec1, false, Set.of());

        assertThat(check.findings()).extracting(ReportFinding::subject).containsExactly("2026-05", "2026-10");
        assertThat(check.summary()).isEqualTo("8 of 10 ended months archived");
        assertThat(off.status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
        assertThat(MonthlyArchiveCheck.evaluate(YEAR, "shop", Instant.parse("2026-12-03T00:00:00Z"), true, Set.of()).findings())
                .hasSize(11);
    }

    @Test
    void usersWithoutASecondFactorFailDisabledOnesDoNotAndNoCatalogIsNotAssessed() {
        ReportCheck check = SecurityAssessment.mfa(List.of(new SecurityAssessment.WebUserFact("alice", "admin", true, false),
                new SecurityAssessment.WebUserFact("bob", "operator", false, false),
                new SecurityAssessment.WebUserFact("carol", "auditor", false, true)), null);
        ReportCheck none = SecurityAssessment.mfa(null, "no catalog");

        assertThat(check.findings()).extracting(ReportFinding::subject).containsExactly("bob");
        assertThat(check.summary()).startsWith("2 of 3");
        assertThat(none.status()).isEqualTo(CheckStatus.NOT_EVIDENCED);
        assertThat(none.summary()).isEqualTo("not assessed: no catalog");
    }

    @Test
    void aServerWithoutTlsFailsAndAForeignCipherFails() {
        assertThat(SecurityAssessment.tls(null).status()).isEqualTo(CheckStatus.FAILED);
        assertThat(SecurityAssessment.tls("/etc/cellar/server.p12").status()).isEqualTo(CheckStatus.PASSED);
        assertThat(SecurityAssessment.encryption("AES-256-GCM").status()).isEqualTo(CheckStatus.PASSED);
        assertThat(SecurityAssessment.encryption("none").status()).isEqualTo(CheckStatus.FAILED);
        assertThat(SecurityAssessment.keySlots(List.of()).status()).isEqualTo(CheckStatus.FAILED);
    }

    @Test
    void whoDidWhatCountsRecordsPerUserAndOperationWithTheirFirstAndLastNumbers() {
        List<AuditRecord> trail = List.of(
                new AuditRecord(1, Instant.parse("2025-12-31T23:00:00Z"), "root", "h", "backup.logical", "t", "ok", "x", 0, 0, "p", "m"),
                new AuditRecord(2, Instant.parse("2026-02-01T00:00:00Z"), "root", "h", "backup.logical", "t", "ok", "x", 0, 0, "p", "m"),
                new AuditRecord(5, Instant.parse("2026-03-01T00:00:00Z"), "root", "h", "backup.logical", "t", "ok", "x", 0, 0, "p", "m"),
                new AuditRecord(6, Instant.parse("2026-03-02T00:00:00Z"), "web:alice", "h", "restore.logical", "t", "ok", "x", 0, 0, "p", "m"));

        ReportCheck intact = SecurityAssessment.auditTrail(YEAR, trail, List.of());
        ReportCheck broken = SecurityAssessment.auditTrail(YEAR, trail, List.of("record 3 is missing"));

        assertThat(intact.evidence()).containsExactly("root backup.logical: 2 record(s), #2 to #5", "web:alice restore.logical: 1 record(s), #6 to #6");
        assertThat(intact.summary()).isEqualTo("3 audit record(s) in 2026; chain intact");
        assertThat(broken.findings()).singleElement().satisfies(f -> assertThat(f.reason()).contains("record 3 is missing"));
    }

    @Test
    void theAnnualReportAddsRetentionAndSecurityToTheIntegrityChecks() {
        ReportInputs in = new ReportInputs("repo", "/srv/repo", "AES-256-GCM", List.of(), List.of(), List.of(), List.of(),
                new WalInventory(List.of(), List.of()), false, Map.of(), AT, List.of(), List.of("passphrase-1"));
        ComplianceReport report = ReportBuilder.annual("a1", YEAR, null, AT, AT, in,
                new AnnualInputs(null, "name it with --database", null, null, "no catalog", false, Set.of()));

        assertThat(report.checks()).extracting(ReportCheck::name).containsExactly("backups verified", "archives verified", "WAL continuity",
                "WORM locks held", "drills passed, RTO and RPO met", "restores re-applied erasures; erasures applied when due",
                "retention compliance", "monthly archives present", "encryption on for every object kind", "key slots", "TLS", "web users with a second factor",
                "audit trail: who did what");
        assertThat(report.failures()).extracting(ReportFinding::subject).contains("server.tls.keystore")
                .contains("2026-01", "2026-11").doesNotContain("2026-12");
        assertThat(report.checks().get(6).status()).isEqualTo(CheckStatus.NOT_EVIDENCED);
    }
}
