package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.drill.DrillSummary;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.report.ReportStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code cellar drill} end to end on restaurant_ordering (scale 1) archiving its WAL through the
 * real {@code cellar wal push}, with one logical and one physical backup: every copy restores and
 * passes its checks, the report has RTO phases and an RPO, an RPO objective tighter than archiving
 * achieves fails the drill with that reason alone, and the drill leaves no scratch cluster, folder
 * or database behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DrillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = TestDatabases.RESTAURANT;

    private ArchivedCluster archived;
    private Path workDir;

    @BeforeAll
    void backUp() {
        archived = ArchivedCluster.start(Map.of());
        TestDatabases.loadRestaurant(archived.cluster(), DB, 1);
        archived.cellarOk("backup", "logical", "-d", DB);
        archived.cellarOk("backup", "physical");
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));
        workDir = archived.home().resolve("drill-work");
    }

    @AfterAll
    void stop() {
        if (archived != null) {
            archived.close();
        }
    }

    private CellarCli.Run drill(String... args) {
        String[] all = Stream.concat(Stream.of("drill", "-d", DB, "--json"), Stream.of(args)).toArray(String[]::new);
        return archived.cellarWith("CELLAR_DRILL_WORK_DIR", workDir.toString(), all);
    }

    /**
     * One full drill (logical copy, physical copy at the restore point, physical copy at the latest)
     * with an RPO objective of 1 s, which WAL archiving without streaming cannot meet: everything
     * else passes, so the RPO is the one and only reason it fails. One drill for both cases keeps
     * the class short: a passing drill is DrillStreamIT's, and twenty in a row were run by hand
     * (docs/drills.md).
     */
    @Test
    @Order(1)
    void aDrillRestoresEveryCopyChecksThemAndFailsOnlyOnAnRpoTighterThanArchiving() throws Exception {
        long started = System.nanoTime();
        CellarCli.Run run = drill("--rpo-objective", "1s");
        System.out.println("DrillIT: a full drill took " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(24);
        JsonNode report = JSON.readTree(run.stdout());
        assertThat(report.path("failures")).as(run.toString()).hasSize(1);
        assertThat(report.path("failures").get(0).asText()).contains("RPO").contains("exceeds the objective 1.0 s of default");
        String id = report.path("id").asText();
        Repository repository = archived.openRepository();
        ReportStore store = ReportStore.of(repository);
        assertThat(store.ids(ReportStore.DRILL)).contains(id);
        assertThat(store.files(ReportStore.DRILL, id)).contains(DrillSummary.FILE, "report.json", "report.md", "report.html");
        DrillSummary summary = RepositoryJson.read(store.read(ReportStore.DRILL, id, DrillSummary.FILE), DrillSummary.class);
        assertThat(summary.passed()).isFalse();
        assertThat(summary.rto()).isPositive();
        assertThat(summary.rpo()).isGreaterThan(Duration.ofSeconds(1));
        assertThat(summary.rpoObjective()).isEqualTo(Duration.ofSeconds(1));
        assertThat(summary.backupIds()).hasSize(2);
        JsonNode stored = JSON.readTree(store.read(ReportStore.DRILL, id, "report.json"));
        List<String> phases = stored.path("phases").findValuesAsText("name");
        assertThat(phases).contains("fetch + restore files", "WAL replay", "checks", "restore", "heartbeat");
        assertThat(stored.path("copies")).hasSize(3);
        // every check of every copy ran and passed, among them the restore point's marker check
        assertThat(stored.path("copies").findValues("checks").stream().mapToInt(JsonNode::size).sum()).isGreaterThan(50);
        assertThat(stored.path("copies").findValuesAsText("status")).contains("PASSED").doesNotContain("FAILED");
        assertThat(stored.path("copies").findValuesAsText("check")).contains("marker", "sequences", "amcheck", "invariant", "row-counts");
        // the latest copy was recovered to what the archive held at the disaster moment, not to what came after
        assertThat(stored.path("rpo").path("method").asText()).isEqualTo("marker");
        assertThat(stored.path("rpo").path("archivedUpTo").path("lsn").asText()).isNotEmpty();
        String html = new String(store.read(ReportStore.DRILL, id, "report.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("<svg").doesNotContain("<script");
        assertNothingLeft();
    }

    private void assertNothingLeft() throws Exception {
        DrillLeftovers.assertNone(archived.cluster(), workDir);
    }
}
