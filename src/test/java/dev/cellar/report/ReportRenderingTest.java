package dev.cellar.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.repo.RepositoryJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three renderings of a report: the JSON reads back, the Markdown and the self-contained HTML carry every check and failure. */
class ReportRenderingTest {
    private static final ReportPeriod Q4 = ReportPeriod.quarter("2026Q4");
    private static final ComplianceReport REPORT = new ComplianceReport("20261203T060000Z-2026Q4-00ff", ReportStore.QUARTERLY, "2026Q4",
            "shop", Q4.from(), Q4.to(), Instant.parse("2026-12-03T06:00:00Z"), Instant.parse("2026-12-03T06:00:01Z"), "repo-1",
            List.of(new ReportCheck("backups verified", CheckStatus.FAILED, "1 of 2 backups verified",
                            List.of(new ReportFinding("b<2>", "backup b<2> was never verified & is at risk", List.of("audit record #7"))),
                            List.of("b1: verify, audit record #3 (target all)")),
                    ReportCheck.notApplicable("WORM locks held", "/srv/repo keeps no object retention")));

    @Test
    void theJsonRecordReadsBackEqual() throws Exception {
        byte[] json = ReportFiles.of(REPORT).get(ReportFiles.JSON);
        assertThat(RepositoryJson.read(json, ComplianceReport.class)).isEqualTo(REPORT);
    }

    @Test
    void theFilesAreStoredJsonFirst() {
        Map<String, byte[]> files = ReportFiles.of(REPORT);
        assertThat(files.keySet()).containsExactly("report.json", "report.md", "report.html");
    }

    @Test
    void theMarkdownHasTheSummaryTableAndEachFailureWithItsEvidence() {
        String md = ReportMarkdown.render(REPORT);
        assertThat(md).contains("| backups verified | FAILED | 1 of 2 backups verified |")
                .contains("| WORM locks held | NOT APPLICABLE | /srv/repo keeps no object retention |")
                .contains("- **b<2>**: backup b<2> was never verified & is at risk (audit record #7)")
                .contains("- b1: verify, audit record #3 (target all)")
                .contains("Verdict: **FAILED** (1 failure(s))");
    }

    @Test
    void theHtmlIsSelfContainedEscapedAndColoursEachStatus() {
        String html = new String(ReportFiles.of(REPORT).get(ReportFiles.HTML), StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>")
                .doesNotContain("<script").doesNotContain("<link").doesNotContain("http://").doesNotContain("https://").doesNotContain("url(");
        assertThat(html).contains("backup b&lt;2&gt; was never verified &amp; is at risk").doesNotContain("b<2>");
        assertThat(html).contains("<span class=\"status failed\">FAILED</span>").contains("<span class=\"status not-applicable\">NOT APPLICABLE</span>")
                .contains(".failed{background:#f8d4d4");
    }
}
