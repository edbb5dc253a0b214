package dev.cellar.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.drill.check.CheckResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrillReportRendererTest {
    private static final Instant T = Instant.parse("2026-12-03T03:00:00Z");

    private static DrillReport report(List<String> failures) {
        List<DrillPhase> phases = List.of(new DrillPhase("source", "heartbeat", T, Duration.ofSeconds(5)),
                new DrillPhase("physical latest", "fetch + restore files", T.plusSeconds(5), Duration.ofSeconds(8)),
                new DrillPhase("physical latest", "WAL replay", T.plusSeconds(13), Duration.ofSeconds(2)),
                new DrillPhase("physical latest", "checks", T.plusSeconds(15), Duration.ofSeconds(1)));
        RestoredCopy copy = new RestoredCopy("physical latest", "20261203T025900.000Z-ab12", "the end of the archived WAL", T.plusSeconds(5),
                Duration.ofSeconds(11), List.of(CheckResult.passed("foreign-keys", "orders_user_fk", "no orphans in <orders>")), List.of(), null);
        RpoMeasure rpo = RpoMeasure.of(T.plusSeconds(5), null, T.plusMillis(1800), null);
        List<Objective> objectives = List.of(new Objective("default", Duration.ofHours(4), Duration.ofMinutes(15)));
        return new DrillReport("20261203T030000.000Z-cd34", "restaurant_ordering", T, T.plusSeconds(17), T.plusSeconds(5), phases, List.of(copy),
                Duration.ofSeconds(11), rpo, objectives, ObjectiveJudge.verdicts(objectives, Duration.ofSeconds(11), rpo), failures);
    }

    @Test
    void theHtmlPageIsSelfContainedWithATimelineAndATrend() {
        DrillSummary earlier = new DrillSummary("20261103T030000.000Z-aa00", "restaurant_ordering", T.minusSeconds(86400 * 30),
                T.minusSeconds(86400 * 30 - 20), true, Duration.ofSeconds(14), Duration.ofSeconds(4), Duration.ofHours(4), Duration.ofMinutes(15),
                List.of(), List.of());
        String html = DrillReportRenderer.html(report(List.of()), List.of(earlier));
        assertThat(html).contains("PASSED").contains("<svg").contains("<polyline").contains("WAL replay");
        assertThat(html).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://").doesNotContain("<link");
        // text from the database is escaped
        assertThat(html).contains("no orphans in &lt;orders&gt;");
        // one bar per phase
        assertThat(html.split("<rect", -1)).hasSize(5);
    }

    @Test
    void theSummaryComesFirstAndCarriesTheVerdict() throws Exception {
        Map<String, byte[]> files = DrillReportRenderer.files(report(List.of("physical latest: check x failed: y")), List.of());
        assertThat(files.keySet()).containsExactly(DrillSummary.FILE, "report.json", "report.md", "report.html");
        DrillSummary summary = dev.cellar.repo.RepositoryJson.read(files.get(DrillSummary.FILE), DrillSummary.class);
        assertThat(summary.passed()).isFalse();
        assertThat(summary.rpo()).isEqualTo(Duration.ofMillis(3200));
        assertThat(summary.backupIds()).containsExactly("20261203T025900.000Z-ab12");
        String md = new String(files.get("report.md"), StandardCharsets.UTF_8);
        assertThat(md).contains("FAILED").contains("| RPO | default | 15 min | 3.2 s | met |").contains("## Failures");
    }
}
