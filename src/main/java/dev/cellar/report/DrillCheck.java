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
                    evidence.add(month + ": drill " + drill.id() + " passed (RTO " + drill.rto() + " of " + drill.rtoObjective()
                            + ", RPO " + (drill.rpo() == null ? "not measured" : drill.rpo()) + " of " + drill.rpoObjective() + ")");
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
            return "its RTO " + drill.rto() + " exceeds the objective " + drill.rtoObjective();
        }
        if (drill.rpo() != null && drill.rpoObjective() != null && drill.rpo().compareTo(drill.rpoObjective()) > 0) {
            return "its RPO " + drill.rpo() + " exceeds the objective " + drill.rpoObjective();
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
}
