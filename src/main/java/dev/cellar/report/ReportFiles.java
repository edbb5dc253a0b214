package dev.cellar.report;

import dev.cellar.repo.RepositoryJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A report's files as stored: report.json first (its presence marks a complete report), then report.md and report.html. */
public final class ReportFiles {
    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    private ReportFiles() {
    }

    public static Map<String, byte[]> of(ComplianceReport report) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(JSON, RepositoryJson.write(report));
        files.put(MARKDOWN, ReportMarkdown.render(report).getBytes(StandardCharsets.UTF_8));
        files.put(HTML, ReportHtml.render(report).getBytes(StandardCharsets.UTF_8));
        return files;
    }
}
