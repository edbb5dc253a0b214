package dev.cellar.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Runs the checks of a quarterly or annual report over what was read of the repository. */
public final class ReportBuilder {
    private ReportBuilder() {
    }

    /**
     * @param database the database the report is about, or null for the whole repository
     * @param at       the "now" to judge at: the period's end, or a moment inside it for a period in progress
     */
    public static ComplianceReport quarterly(String id, ReportPeriod period, String database, Instant at, Instant generatedAt,
                                             ReportInputs in) {
        return new ComplianceReport(id, ReportStore.QUARTERLY, period.label(), database, period.from(), period.to(), period.until(at),
                generatedAt, in.repositoryId(), integrityChecks(period, database, period.until(at), in));
    }

    /** The quarterly checks over the whole year, and the security assessment. */
    public static ComplianceReport annual(String id, ReportPeriod period, String database, Instant at, Instant generatedAt, ReportInputs in,
                                          AnnualInputs annual) {
        Instant until = period.until(at);
        List<ReportCheck> checks = new ArrayList<>(integrityChecks(period, database, until, in));
        checks.add(annual.retention() == null ? RetentionComplianceCheck.notAssessed(annual.retentionMissing())
                : RetentionComplianceCheck.evaluate(annual.retention()));
        checks.add(MonthlyArchiveCheck.evaluate(period, database, until, annual.archiveScheduleOn(), annual.monthlyArchives()));
        checks.add(SecurityAssessment.encryption(in.cipher()));
        checks.add(SecurityAssessment.keySlots(in.keySlots()));
        checks.add(SecurityAssessment.tls(annual.serverKeystore()));
        checks.add(SecurityAssessment.mfa(annual.users(), annual.usersMissing()));
        checks.add(SecurityAssessment.auditTrail(period, in.trail(), in.chainProblems()));
        return new ComplianceReport(id, ReportStore.ANNUAL, period.label(), database, period.from(), period.to(), until, generatedAt,
                in.repositoryId(), checks);
    }

    private static List<ReportCheck> integrityChecks(ReportPeriod period, String database, Instant until, ReportInputs in) {
        List<BackupFact> inPeriod = in.backups().stream()
                .filter(b -> period.contains(b.finishedAt()) && b.holds(database)).toList();
        List<BackupFact> ofDatabase = in.backups().stream().filter(b -> b.holds(database)).toList();
        return List.of(
                BackupVerificationCheck.evaluate(period, database, in.backups(), in.trail(), in.drills()),
                ArchiveVerificationCheck.evaluate(period, database, in.trail()),
                WalContinuityCheck.evaluate(period, inPeriod, in.wal()),
                WormLockCheck.evaluate(in.storageKeepsRetention(), in.storage(), ofDatabase, in.heldRetention(), in.lockTime()),
                DrillCheck.evaluate(period, database, until, in.drills()),
                RestoreErasureCheck.evaluate(period, database, until, in.trail(), in.ledger()));
    }
}
