package dev.cellar.report;

import dev.cellar.drill.DrillSummary;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * "Drills": one passed drill in every calendar month of the period begun by the report's
 * "now", and every passed drill within its RTO and RPO objectives (a drill summary that says
 * passed while its own figures exceed its objectives is not believed).
 */
final class DrillCheck {
    static final String NAME = "drills passed, RTO and RPO met";

    private DrillCheck() {
    }

    /** @param database the database the report is about, or null for every database */
    static ReportCheck evaluate(ReportPeriod period, String database, Instant at, List<DrillSummary> drills) {
        List<ReportFinding> failures = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        List<YearMonth> months = period.monthsBegunBy(at);
        for (YearMonth month : months) {
            List<DrillSummary> ofMonth = drills.stream()
                    .filter(d -> d.started() != null && ReportPeriod.monthOf(d.started()).equals(month) && !d.started().isAfter(at))
                    .filter(d -> database == null || database.equals(d.database()))
                    .toList();
            if (ofMonth.isEmpty()) {
                failures.add(new ReportFinding(month.toString(), "missed drill for " + month + ": no drill ran that month", List.of()));
                continue;
            }
            List<DrillSummary> passed = ofMonth.stream().filter(DrillSummary::passed).toList();
            if (passed.isEmpty()) {
                failures.add(new ReportFinding(month.toString(), "every drill of " + month + " failed: " + reasons(ofMonth),
                        ofMonth.stream().map(d -> "drill " + d.id()).toList()));
                continue;
            }
            for (DrillSummary drill : passed) {
                String missed = objectiveMissed(drill);
                if (missed != null) {
                    failures.add(new ReportFinding(drill.id(), "drill " + drill.id() + " of " + month + " is recorded as passed, but " + missed,
                            List.of("drill " + drill.id())));
                } else {
                    evidence.add(month + ": drill " + drill.id() + " passed (RTO " + text(drill.rto()) + " of " + text(drill.rtoObjective())
                            + ", RPO " + (drill.rpo() == null ? "not measured" : text(drill.rpo())) + " of " + text(drill.rpoObjective()) + ")");
                }
            }
            ofMonth.stream().filter(d -> !d.passed()).forEach(d -> evidence.add(month + ": drill " + d.id() + " failed (" + reasons(List.of(d)) + ")"));
        }
        String summary = months.isEmpty() ? "the period had not begun at " + at
                : (months.size() - (int) failures.stream().filter(f -> f.subject().matches("\\d{4}-\\d{2}")).count()) + " of "
                + months.size() + " months with a passed drill";
        return ReportCheck.judged(NAME, summary, failures, evidence);
    }

    private static String objectiveMissed(DrillSummary drill) {
        if (drill.rto() != null && drill.rtoObjective() != null && drill.rto().compareTo(drill.rtoObjective()) > 0) {
            return "its RTO " + text(drill.rto()) + " exceeds the objective " + text(drill.rtoObjective());
        }
        if (drill.rpo() != null && drill.rpoObjective() != null && drill.rpo().compareTo(drill.rpoObjective()) > 0) {
            return "its RPO " + text(drill.rpo()) + " exceeds the objective " + text(drill.rpoObjective());
        }
        return null;
    }

    private static String reasons(List<DrillSummary> drills) {
        List<String> lines = new ArrayList<>();
        for (DrillSummary d : drills) {
            lines.add(d.id() + ": " + (d.failures() == null || d.failures().isEmpty() ? "no reason recorded" : String.join("; ", d.failures())));
        }
        return String.join(" | ", lines);
    }

    /** A duration as the drill reports print it (25.6 s, 4 h), not ISO-8601 (PT25.648S). */
    private static String text(java.time.Duration duration) {
        return duration == null ? "unknown" : dev.cellar.drill.ObjectiveDuration.format(duration);
    }
}
