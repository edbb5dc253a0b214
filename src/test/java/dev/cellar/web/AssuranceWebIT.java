package dev.cellar.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.NeverPrompt;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.HostClock;
import dev.cellar.config.ListenAddress;
import dev.cellar.drill.DrillSummary;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.report.CheckStatus;
import dev.cellar.report.ComplianceReport;
import dev.cellar.report.ReportCheck;
import dev.cellar.report.ReportFiles;
import dev.cellar.report.ReportFinding;
import dev.cellar.report.ReportStore;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.http.CellarHttpServer;
import dev.cellar.web.auth.Argon2idPasswords;
import dev.cellar.web.auth.MutableClock;
import dev.cellar.web.auth.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The drills and audit reports over the real web layer (real catalog, real repository, real HTTP):
 * drills and a quarterly report stored through {@link ReportStore} as {@code cellar drill} and
 * {@code cellar report} store them, then listed and shown by the API and drawn on the dashboard,
 * the reports refused to a role without READ_AUDIT.
 */
class AssuranceWebIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("assurance-web-it-passphrase");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
    private static final Instant JAN = Instant.parse("2026-01-10T02:00:00Z");
    private static final Instant FEB = Instant.parse("2026-02-10T02:00:00Z");
    private static final String OLDER_DRILL = "20260110T020000Z-aaaa";
    private static final String NEWER_DRILL = "20260210T020000Z-bbbb";
    private static final String REPORT = "20260401T060000Z-2026-Q1-cccc";
    private static final String MISSED = "RTO 52 min missed the objective 45 min (default)";

    private static LocalCluster cluster;
    private static Catalog catalog;
    private static WebLayer web;
    private static CellarHttpServer server;
    private static String operatorToken;
    private static String auditorToken;

    @BeforeAll
    static void aServerWhoseRepositoryHoldsTwoDrillsAndAQuarterlyReport() throws Exception {
        Path folder = TestFolders.create("cellar-assurance-web-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-assurance-web-it-pg"));
        cluster.createDatabase("shop");
        cluster.createDatabase("cellar_catalog");
        Path passphrase = Files.writeString(folder.resolve("passphrase"), PASSPHRASE);
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        Path yaml = Files.writeString(folder.resolve("cellar.yaml"), "repository:\n  path: " + folder.resolve("repo") + "\n"
                + "  passphrase-file: " + passphrase + "\n"
                + "catalog:\n  url: " + cluster.jdbcUrl("cellar_catalog") + "\n  user: " + cluster.superuser() + "\n"
                + "databases:\n  shop:\n    host: " + cluster.host() + "\n    port: " + cluster.port() + "\n    user: "
                + cluster.superuser() + "\n", StandardCharsets.UTF_8);
        CellarConfig config = ConfigLoader.load(yaml, Map.of(), Map.of());
        try (CellarContext context = CellarContext.open(config, new ContextOptions(false, null, Duration.ofSeconds(30), false, WARNINGS::add,
                new NeverPrompt(), Map.of(), HostClock.system()))) {
            Repository.init(context.storage(), RepositorySecret.passphrase(PASSPHRASE.toCharArray()), ChunkerParameters.DEFAULT,
                    context.hostClock());
            ReportStore store = ReportStore.of(context.openRepository());
            store.put(ReportStore.DRILL, OLDER_DRILL, drillFiles(new DrillSummary(OLDER_DRILL, "shop", JAN, JAN.plusSeconds(600), true,
                    Duration.ofMinutes(9), Duration.ofSeconds(20), Duration.ofMinutes(45), Duration.ofMinutes(5), List.of(),
                    List.of("shop-l-1", "shop-p-1"))));
            store.put(ReportStore.DRILL, NEWER_DRILL, drillFiles(new DrillSummary(NEWER_DRILL, "shop", FEB, FEB.plusSeconds(3200), false,
                    Duration.ofMinutes(52), null, Duration.ofMinutes(45), Duration.ofMinutes(5), List.of(MISSED), List.of("shop-l-2"))));
            ComplianceReport report = new ComplianceReport(REPORT, ReportStore.QUARTERLY, "2026-Q1", "shop", Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-04-01T06:00:00Z"), Instant.parse("2026-04-01T06:00:00Z"),
                    "repo-1", List.of(new ReportCheck("drills", CheckStatus.FAILED, "one drill of two failed",
                            List.of(new ReportFinding(NEWER_DRILL, MISSED, List.of(NEWER_DRILL))), List.of(OLDER_DRILL, NEWER_DRILL))));
            store.put(ReportStore.QUARTERLY, REPORT, ReportFiles.of(report));
        }
        catalog = Catalog.open(config.catalog(), new NeverPrompt());
        MutableClock clock = new MutableClock(Instant.now());
        web = WebLayer.open(config, catalog, clock, () -> null, Map.of(), WARNINGS::add, 10_000,
                new Argon2idPasswords(new Argon2idPasswords.Cost(4096, 1, 1), new SecureRandom()));
        server = CellarHttpServer.start(new ListenAddress("127.0.0.1", 0), web.routes());
        web.auth().users().add("oscar", Role.OPERATOR, "assurance walk passphrase".toCharArray());
        web.auth().users().add("audrey", Role.AUDITOR, "assurance walk passphrase".toCharArray());
        operatorToken = web.auth().tokens().create("oscar", "it", Role.OPERATOR, 30).token();
        auditorToken = web.auth().tokens().create("audrey", "it", Role.AUDITOR, 30).token();
    }

    /** The files as the drill stores them: summary.json first, so it is written last. */
    private static Map<String, byte[]> drillFiles(DrillSummary summary) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(DrillSummary.FILE, RepositoryJson.write(summary));
        files.put("report.json", RepositoryJson.write(Map.of("id", summary.id(), "database", summary.database(), "passed", summary.passed())));
        files.put("report.md", ("# Drill " + summary.id()).getBytes(StandardCharsets.UTF_8));
        files.put("report.html", ("<!doctype html><title>Drill " + summary.id() + "</title><h1>Drill " + summary.id() + "</h1>")
                .getBytes(StandardCharsets.UTF_8));
        return files;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (web != null) {
            web.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theDrillsAreListedNewestFirstWithTheirMeasuresAndFailures() throws Exception {
        HttpResponse<String> answer = get("/api/drills", operatorToken);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode drills = JSON.readTree(answer.body());
        assertThat(drills).hasSize(2);
        assertThat(drills.get(0).get("id").asText()).isEqualTo(NEWER_DRILL);
        assertThat(drills.get(0).get("passed").asBoolean()).isFalse();
        assertThat(drills.get(0).get("failures").get(0).asText()).isEqualTo(MISSED);
        // durations are seconds, as in every JSON answer of the API
        assertThat(drills.get(0).get("rto").asDouble()).isEqualTo(52 * 60.0);
        assertThat(drills.get(0).get("rpo").isNull()).isTrue();
        assertThat(drills.get(1).get("id").asText()).isEqualTo(OLDER_DRILL);
        assertThat(drills.get(1).get("rpo").asDouble()).isEqualTo(20.0);
        assertThat(drills.get(1).get("rtoObjective").asDouble()).isEqualTo(45 * 60.0);
    }

    @Test
    void aDrillsReportIsServedAsStoredAndAnUnknownOneIs404() throws Exception {
        HttpResponse<String> json = get("/api/drills/" + NEWER_DRILL, operatorToken);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(json.body()).get("id").asText()).isEqualTo(NEWER_DRILL);
        HttpResponse<String> html = get("/api/drills/" + NEWER_DRILL + "/report.html", operatorToken);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(html.headers().firstValue("Content-Security-Policy").orElse("")).contains("sandbox");
        assertThat(html.body()).contains("<h1>Drill " + NEWER_DRILL + "</h1>");
        HttpResponse<String> unknown = get("/api/drills/20990101T000000Z-none/report.html", operatorToken);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("hint").asText()).contains("/api/drills");
        // an id is only ever one the store lists: a path out of the drill's folder is just unknown
        assertThat(get("/api/drills/..%2F..%2Fkeys/report.html", operatorToken).statusCode()).isIn(400, 404);
    }

    @Test
    void theAuditReportsAreForAuditorsNotForAnOperator() throws Exception {
        assertThat(get("/api/reports", operatorToken).statusCode()).isEqualTo(403);
        assertThat(get("/api/reports/quarterly/" + REPORT + "/report.html", operatorToken).statusCode()).isEqualTo(403);
        assertThat(get("/reports", operatorToken).statusCode()).isEqualTo(403);

        HttpResponse<String> listed = get("/api/reports", auditorToken);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        JsonNode reports = JSON.readTree(listed.body());
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).get("kind").asText()).isEqualTo("quarterly");
        assertThat(reports.get(0).get("passed").asBoolean()).isFalse();
        assertThat(reports.get(0).get("failures").asInt()).isEqualTo(1);
        HttpResponse<String> json = get("/api/reports/quarterly/" + REPORT, auditorToken);
        assertThat(JSON.readTree(json.body()).get("period").asText()).isEqualTo("2026-Q1");
        HttpResponse<String> html = get("/api/reports/quarterly/" + REPORT + "/report.html", auditorToken);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.body()).contains(MISSED);
        assertThat(get("/api/reports/annual/" + REPORT, auditorToken).statusCode()).isEqualTo(404);
        assertThat(get("/api/reports/drill/" + NEWER_DRILL, auditorToken).statusCode()).isEqualTo(404);
    }

    @Test
    void theDrillsPageShowsTheTableAndTheRtoAndRpoChart() throws Exception {
        HttpResponse<String> page = get("/drills", operatorToken);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        String body = page.body();
        assertThat(body).contains("href=\"/drills\" aria-current=\"page\"");
        assertThat(body).doesNotContain("href=\"/reports\"");
        assertThat(body.indexOf(NEWER_DRILL)).as("newest first").isLessThan(body.indexOf(OLDER_DRILL)).isPositive();
        assertThat(body).contains("status-critical\">failed", "status-ok\">passed", MISSED, "52 min", "not measured (no physical restore)");
        assertThat(body).contains("href=\"/api/drills/" + NEWER_DRILL + "/report.html\"");
        assertThat(body).contains("echarts.min.js", "data-chart=\"drills\"");
        JsonNode options = JSON.readTree(between(body, "<script type=\"application/json\" id=\"drills-options\">", "</script>"));
        JsonNode rto = options.get("series").get(0);
        assertThat(rto.get("name").asText()).isEqualTo("RTO");
        assertThat(rto.get("data").get(0).get(1).asDouble()).as("oldest first on the time axis").isEqualTo(9.0);
        assertThat(rto.get("data").get(1).get(1).asDouble()).isEqualTo(52.0);
        assertThat(options.get("series").get(1).get("data").get(1).get(1).isNull()).as("no RPO without a physical restore").isTrue();
    }

    @Test
    void theReportsPageListsTheReportsForAnAuditor() throws Exception {
        HttpResponse<String> page = get("/reports", auditorToken);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("href=\"/api/reports/quarterly/" + REPORT + "/report.html\"", "2026-Q1", "status-critical\">failed");
        assertThat(page.body()).contains("href=\"/reports\" aria-current=\"page\"");
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as(start).isNotNegative();
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().port() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
