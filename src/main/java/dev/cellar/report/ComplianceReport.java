package dev.cellar.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * A quarterly or annual audit report: every check with its verdict and evidence. Stored as
 * report.json (this record), report.md and report.html under {@code reports/<kind>/<id>/}.
 *
 * @param kind         {@link ReportStore#QUARTERLY} or {@link ReportStore#ANNUAL}
 * @param period       the quarter ({@code 2026Q4}) or year ({@code 2026})
 * @param database     the database it is about, or null for the whole repository
 * @param at           the "now" it judged at (the end of the period, or a moment inside it)
 * @param generatedAt  when it was made
 * @param repositoryId the repository it was computed from
 */
public record ComplianceReport(String id, String kind, String period, String database, Instant from, Instant to, Instant at,
                               Instant generatedAt, String repositoryId, List<ReportCheck> checks) {
    public ComplianceReport {
        checks = List.copyOf(checks);
    }

    /** No check failed (checks that do not apply or are not evidenced do not fail a report). */
    @JsonIgnore
    public boolean passed() {
        return checks.stream().noneMatch(ReportCheck::failed);
    }

    /** Every failure of every failed check, in order. */
    @JsonIgnore
    public List<ReportFinding> failures() {
        return checks.stream().filter(ReportCheck::failed).flatMap(c -> c.findings().stream()).toList();
    }

    @JsonIgnore
    public String title() {
        return (ReportStore.ANNUAL.equals(kind) ? "Annual compliance audit " : "Quarterly backup integrity report ") + period
                + (database == null ? "" : " — " + database);
    }
}
