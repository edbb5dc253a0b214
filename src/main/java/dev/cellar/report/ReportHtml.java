package dev.cellar.report;

import java.util.Locale;

/**
 * The HTML form of a report: one self-contained page (inline CSS, no script, font or link to
 * anything outside it) an auditor can open offline and print.
 */
public final class ReportHtml {
    private static final String STYLE = """
            body{font-family:sans-serif;margin:2em;color:#1a1a1a;max-width:60em}
            h1{font-size:1.5em;border-bottom:2px solid #333;padding-bottom:.3em}
            h2{font-size:1.15em;margin-top:1.6em}
            table{border-collapse:collapse;width:100%}
            th,td{border:1px solid #999;padding:.35em .6em;text-align:left;vertical-align:top}
            th{background:#eee}
            .status{font-weight:bold;padding:.1em .5em;border-radius:3px;white-space:nowrap}
            .passed{background:#d8f0d8;color:#14521b}
            .failed{background:#f8d4d4;color:#8a1010}
            .not-applicable,.not-evidenced{background:#eee6c8;color:#5c4a00}
            .verdict{font-size:1.2em;margin:1em 0}
            li{margin:.2em 0}
            code{font-size:.95em}
            @media print{body{margin:0}.status{border:1px solid #555}}
            """;

    private ReportHtml() {
    }

    public static String render(ComplianceReport report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(report.title()))
                .append("</title><style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>").append(esc(report.title())).append("</h1>\n");
        html.append("<p class=\"verdict\">Verdict: ").append(badge(report.passed() ? CheckStatus.PASSED : CheckStatus.FAILED))
                .append(" — ").append(report.failures().size()).append(" failure(s)</p>\n");
        html.append("<table><tr><th>Report</th><td><code>").append(esc(report.id())).append("</code> (").append(esc(report.kind()))
                .append(")</td></tr><tr><th>Repository</th><td><code>").append(esc(report.repositoryId()))
                .append("</code></td></tr><tr><th>Period</th><td>").append(report.from()).append(" to ").append(report.to())
                .append(", judged at ").append(report.at()).append("</td></tr><tr><th>Generated</th><td>").append(report.generatedAt())
                .append("</td></tr></table>\n");
        html.append("<h2>Summary</h2>\n<table id=\"summary\"><tr><th>Check</th><th>Status</th><th>Summary</th></tr>\n");
        for (ReportCheck check : report.checks()) {
            html.append("<tr><td>").append(esc(check.name())).append("</td><td>").append(badge(check.status())).append("</td><td>")
                    .append(esc(check.summary())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (ReportCheck check : report.checks()) {
            html.append("<section class=\"check\"><h2>").append(esc(check.name())).append(" ").append(badge(check.status())).append("</h2>\n<p>")
                    .append(esc(check.summary())).append("</p>\n");
            if (!check.findings().isEmpty()) {
                html.append("<h3>").append(check.failed() ? "Failures" : "Findings").append("</h3><ul class=\"findings\">\n");
                for (ReportFinding finding : check.findings()) {
                    html.append("<li><strong>").append(esc(finding.subject())).append("</strong>: ").append(esc(finding.reason()));
                    if (!finding.evidence().isEmpty()) {
                        html.append(" <em>(").append(esc(String.join("; ", finding.evidence()))).append(")</em>");
                    }
                    html.append("</li>\n");
                }
                html.append("</ul>\n");
            }
            if (!check.evidence().isEmpty()) {
                html.append("<h3>Evidence</h3><ul class=\"evidence\">\n");
                check.evidence().forEach(e -> html.append("<li>").append(esc(e)).append("</li>\n"));
                html.append("</ul>\n");
            }
            html.append("</section>\n");
        }
        html.append("<p>Each file of this report has a signature beside it (<code>report.html.sig</code>); "
                + "<code>cellar report verify report.html</code> proves it unchanged.</p>\n</body></html>\n");
        return html.toString();
    }

    private static String badge(CheckStatus status) {
        return "<span class=\"status " + status.word().replace(' ', '-') + "\">" + status.word().toUpperCase(Locale.ROOT) + "</span>";
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
