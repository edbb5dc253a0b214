package dev.cellar.cli;

import dev.cellar.report.CheckStatus;
import dev.cellar.report.ComplianceReport;
import dev.cellar.report.ReportCheck;
import dev.cellar.report.ReportFinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The terminal text of a quarterly or annual report: one line per check, then each failure with its evidence. */
final class ReportText {
    private ReportText() {
    }

    /** What {@code --json} prints for a report made or shown. */
    record Json(ComplianceReport report, boolean passed, int failures, List<String> exported) {
    }

    static Json json(ComplianceReport report, List<Path> exported) {
        return new Json(report, report.passed(), report.failures().size(), exported.stream().map(Path::toString).toList());
    }

    static String render(ComplianceReport report, List<Path> exported) {
        StringBuilder text = new StringBuilder();
        text.append(report.title()).append('\n').append("report ").append(report.id()).append(", judged at ").append(report.at()).append('\n');
        for (ReportCheck check : report.checks()) {
            text.append(String.format("  %-15s %s: %s%n", check.status().word().toUpperCase(Locale.ROOT), check.name(), check.summary()));
            if (check.status() != CheckStatus.PASSED) {
                for (ReportFinding finding : check.findings()) {
                    text.append("      ").append(finding.reason());
                    if (!finding.evidence().isEmpty()) {
                        text.append(" [").append(String.join("; ", finding.evidence())).append(']');
                    }
                    text.append('\n');
                }
            }
        }
        text.append(report.passed() ? "PASSED" : "FAILED: " + report.failures().size() + " failure(s)").append('\n');
        if (!exported.isEmpty()) {
            text.append("exported ").append(exported.size()).append(" files to ").append(exported.get(0).getParent()).append('\n');
        }
        return text.toString();
    }
}
