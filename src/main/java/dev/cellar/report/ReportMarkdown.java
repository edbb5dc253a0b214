package dev.cellar.report;

/** The Markdown form of a report: a summary table, then each check with its findings and evidence. */
public final class ReportMarkdown {
    private ReportMarkdown() {
    }

    public static String render(ComplianceReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(report.title()).append("\n\n");
        md.append("- Report: `").append(report.id()).append("` (").append(report.kind()).append(")\n");
        md.append("- Repository: `").append(report.repositoryId()).append("`\n");
        md.append("- Period: ").append(report.from()).append(" to ").append(report.to()).append(", judged at ").append(report.at()).append('\n');
        md.append("- Generated: ").append(report.generatedAt()).append('\n');
        md.append("- Verdict: **").append(report.passed() ? "PASSED" : "FAILED").append("** (")
                .append(report.failures().size()).append(" failure(s))\n\n");
        md.append("| Check | Status | Summary |\n|---|---|---|\n");
        for (ReportCheck check : report.checks()) {
            md.append("| ").append(cell(check.name())).append(" | ").append(check.status().word().toUpperCase(java.util.Locale.ROOT))
                    .append(" | ").append(cell(check.summary())).append(" |\n");
        }
        for (ReportCheck check : report.checks()) {
            md.append("\n## ").append(check.name()).append(": ").append(check.status().word()).append("\n\n").append(check.summary()).append("\n");
            if (!check.findings().isEmpty()) {
                md.append("\n").append(check.failed() ? "Failures" : "Findings").append(":\n\n");
                for (ReportFinding finding : check.findings()) {
                    md.append("- **").append(finding.subject()).append("**: ").append(finding.reason());
                    if (!finding.evidence().isEmpty()) {
                        md.append(" (").append(String.join("; ", finding.evidence())).append(")");
                    }
                    md.append('\n');
                }
            }
            if (!check.evidence().isEmpty()) {
                md.append("\nEvidence:\n\n");
                check.evidence().forEach(e -> md.append("- ").append(e).append('\n'));
            }
        }
        md.append("\nVerify this file with `cellar report verify report.md` (it checks `report.md.sig`).\n");
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
