package dev.cellar.report;

import java.util.List;

/**
 * One check of a quarterly or annual report: its verdict, a one-line summary, what is wrong and
 * what the verdict rests on.
 *
 * @param name     the check, as the report titles it ("backups verified")
 * @param findings failures (or, for {@link CheckStatus#NOT_EVIDENCED}, what is not evidenced); empty when it passed
 * @param evidence what was looked at and found in order, one line each (backup ids with the records that cover them, ...)
 */
public record ReportCheck(String name, CheckStatus status, String summary, List<ReportFinding> findings, List<String> evidence) {
    public ReportCheck {
        findings = findings == null ? List.of() : List.copyOf(findings);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    /** Passed when nothing was found wrong, failed otherwise. */
    static ReportCheck judged(String name, String summary, List<ReportFinding> failures, List<String> evidence) {
        return new ReportCheck(name, failures.isEmpty() ? CheckStatus.PASSED : CheckStatus.FAILED, summary, failures, evidence);
    }

    static ReportCheck notApplicable(String name, String reason) {
        return new ReportCheck(name, CheckStatus.NOT_APPLICABLE, reason, List.of(), List.of());
    }

    public boolean failed() {
        return status == CheckStatus.FAILED;
    }
}
