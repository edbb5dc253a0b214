package dev.cellar.report;

import dev.cellar.lifecycle.retention.RetentionPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The annual report's "retention compliance": per data category of the policy, no row kept in
 * the live database past its retention. Rows due that retention would remove are failures (table
 * and count); rows due but held because rows that stay reference them are reported, not failed
 * (the policy's on-conflict rule keeps them on purpose).
 */
final class RetentionComplianceCheck {
    static final String NAME = "retention compliance";

    private RetentionComplianceCheck() {
    }

    /** @param plan what retention would remove at the report's "now" (a dry run on the live database) */
    static ReportCheck evaluate(RetentionPlan plan) {
        List<ReportFinding> failures = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        long tables = 0;
        for (RetentionPlan.CategoryPlan category : plan.categories()) {
            for (RetentionPlan.TablePlan table : category.tables()) {
                tables++;
                if (table.going() > 0) {
                    failures.add(new ReportFinding(table.table(), table.going() + " row(s) of " + table.table() + " (category " + category.category()
                            + ", retention " + category.retention() + ", dated by " + table.datedBy() + ") are kept past their retention",
                            List.of("retention plan of " + plan.database() + " at " + plan.at())));
                }
                if (table.held() > 0) {
                    evidence.add(table.table() + ": " + table.held() + " row(s) past retention held, referenced by rows that stay: "
                            + String.join("; ", table.holds().stream().map(h -> h.rows() + " through " + h.constraint() + " from "
                            + h.referencingTable()).toList()));
                }
                if (table.due() == 0) {
                    evidence.add(table.table() + " (category " + category.category() + ", retention " + category.retention() + "): no row past retention");
                }
            }
        }
        return ReportCheck.judged(NAME, tables + " table(s) of policy " + plan.policy() + " on " + plan.database() + " at " + plan.at()
                + (failures.isEmpty() ? ": nothing kept past its retention" : ": " + failures.size() + " table(s) keep rows past retention"),
                failures, evidence);
    }

    static ReportCheck notAssessed(String reason) {
        return new ReportCheck(NAME, CheckStatus.NOT_EVIDENCED, "not assessed: " + reason, List.of(), List.of());
    }
}
