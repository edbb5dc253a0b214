package dev.cellar.report;

import dev.cellar.repo.AuditRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * "Archives verified": every archive created in the period ({@code archive create} in the audit
 * trail, target {@code <database>/<kind>/<label>}) was read back whole afterwards: an ok
 * {@code archive verify} of the same archive, recorded after its creation.
 */
final class ArchiveVerificationCheck {
    static final String NAME = "archives verified";
    private static final String CREATE = "archive create";
    private static final String VERIFY = "archive verify";

    private ArchiveVerificationCheck() {
    }

    /** @param database the database the report is about, or null for every database */
    static ReportCheck evaluate(ReportPeriod period, String database, List<AuditRecord> trail) {
        List<ReportFinding> failures = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        int created = 0;
        for (AuditRecord create : trail) {
            if (!CREATE.equals(create.operation()) || !AuditRecord.OK.equals(create.result()) || !period.contains(create.time())
                    || (database != null && !create.target().startsWith(database + "/"))) {
                continue;
            }
            created++;
            AuditRecord verified = trail.stream()
                    .filter(r -> VERIFY.equals(r.operation()) && AuditRecord.OK.equals(r.result()) && create.target().equals(r.target())
                            && r.sequence() > create.sequence())
                    .findFirst().orElse(null);
            if (verified == null) {
                failures.add(new ReportFinding(create.target(), "archive " + create.target() + " (created " + create.time()
                        + ") was never verified afterwards ('cellar archive verify " + create.target() + "')",
                        List.of("audit record #" + create.sequence())));
            } else {
                evidence.add(create.target() + ": created in audit record #" + create.sequence() + ", verified in #" + verified.sequence());
            }
        }
        if (created == 0) {
            return ReportCheck.notApplicable(NAME, "no archive was created in " + period.label());
        }
        return ReportCheck.judged(NAME, (created - failures.size()) + " of " + created + " archives created in " + period.label()
                + " verified afterwards", failures, evidence);
    }
}
