package dev.cellar.report;

import dev.cellar.lifecycle.erasure.LedgerEntry;
import dev.cellar.repo.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * "Restores and erasures": each restore of the period followed by the re-application of the
 * erasure ledger to what it restored (a {@code gdpr.reapply} record whose target is the restore's
 * target, after it, or the restore's own record saying it re-applied the ledger), and each erasure request that fell due in the period applied by its due date.
 * A restore whose re-application no record shows is "not evidenced", never passed.
 */
final class RestoreErasureCheck {
    static final String NAME = "restores re-applied erasures; erasures applied when due";
    private static final String RESTORE_PREFIX = "restore.";
    private static final String REAPPLY = "gdpr.reapply";
    // a restore test restores into a scratch database it drops at once (verify/ScratchDatabase): no data returned to use
    private static final String SCRATCH_DATABASE = dev.cellar.verify.ScratchDatabase.PREFIX;
    // a drill restores into scratch clusters under folders of this name and removes them (drill/Drill)
    private static final String DRILL_FOLDER = "cellar-drill-";

    private RestoreErasureCheck() {
    }

    /**
     * @param database the database the report is about, or null for every database
     * @param at       the report's "now": requests due after it are not judged yet
     */
    static ReportCheck evaluate(ReportPeriod period, String database, Instant at, List<AuditRecord> trail, List<LedgerEntry> ledger) {
        List<ReportFinding> failures = new ArrayList<>();
        List<ReportFinding> unevidenced = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        boolean anyErasure = ledger.stream().anyMatch(e -> database == null || database.equals(e.database()));
        int restores = 0;
        for (AuditRecord restore : trail) {
            if (!restore.operation().startsWith(RESTORE_PREFIX) || !AuditRecord.OK.equals(restore.result()) || !period.contains(restore.time())
                    || (restore.target() != null && (restore.target().contains(SCRATCH_DATABASE) || restore.target().contains(DRILL_FOLDER)))) {
                continue;
            }
            restores++;
            AuditRecord reapplied = trail.stream()
                    .filter(r -> REAPPLY.equals(r.operation()) && AuditRecord.OK.equals(r.result()) && r.sequence() > restore.sequence()
                            && restore.target() != null && (restore.target().equals(r.target()) || restore.target().endsWith("/" + r.target())))
                    .findFirst().orElse(null);
            String what = restore.operation() + " into " + restore.target() + " (audit record #" + restore.sequence() + ")";
            if (restore.detail() != null && restore.detail().contains(dev.cellar.lifecycle.erasure.ErasureReapplication.AUDIT_PHRASE)) {
                evidence.add(what + ": its own record says the erasure ledger was re-applied before hand-over");
            } else if (reapplied != null) {
                evidence.add(what + ": erasures re-applied in audit record #" + reapplied.sequence());
            } else if (!anyErasure) {
                evidence.add(what + ": the erasure ledger holds no request, nothing to re-apply");
            } else {
                unevidenced.add(new ReportFinding(restore.target(), what + ": no record shows the erasure ledger re-applied to it "
                        + "('cellar gdpr reapply')", List.of("audit record #" + restore.sequence())));
            }
        }
        Set<Long> applied = new TreeSet<>();
        ledger.stream().filter(e -> !e.makesRequest()).forEach(e -> applied.add(e.request()));
        int due = 0;
        for (LedgerEntry request : ledger) {
            if (!request.makesRequest() || request.dueAt() == null || !period.contains(request.dueAt()) || request.dueAt().isAfter(at)
                    || (database != null && !database.equals(request.database()))) {
                continue;
            }
            due++;
            LedgerEntry application = ledger.stream().filter(e -> !e.makesRequest() && e.request() == request.sequence()).findFirst().orElse(null);
            if (application == null) {
                failures.add(new ReportFinding("erasure request " + request.sequence(), "erasure request " + request.sequence() + " on "
                        + request.database() + " fell due " + request.dueAt() + " and is not applied", List.of("ledger entry " + request.sequence())));
            } else if (application.at() != null && application.at().isAfter(request.dueAt())) {
                failures.add(new ReportFinding("erasure request " + request.sequence(), "erasure request " + request.sequence()
                        + " fell due " + request.dueAt() + " but was applied late, " + application.at(),
                        List.of("ledger entries " + request.sequence() + ", " + application.sequence())));
            } else {
                evidence.add("erasure request " + request.sequence() + " due " + request.dueAt() + ": applied in ledger entry " + application.sequence());
            }
        }
        String summary = restores + " restore(s) and " + due + " erasure request(s) due in " + period.label();
        if (!failures.isEmpty()) {
            List<ReportFinding> all = new ArrayList<>(failures);
            all.addAll(unevidenced);
            return new ReportCheck(NAME, CheckStatus.FAILED, summary, all, evidence);
        }
        if (!unevidenced.isEmpty()) {
            return new ReportCheck(NAME, CheckStatus.NOT_EVIDENCED, summary, unevidenced, evidence);
        }
        return ReportCheck.judged(NAME, summary, List.of(), evidence);
    }
}
