package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.cellar.drill.DrillSummary;
import dev.cellar.pg.LocalCluster;
import dev.cellar.repo.CheapKdfRepositories;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.report.ReportPeriod;
import dev.cellar.report.ReportStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The quarterly report on a repository with real logical backups of a small database: every
 * backup verified (by a verify of all backups, or a restore test) but one taken after the last
 * verify, and a drill summary stored (as the drill engine stores it) for every month of the
 * quarter begun so far but the first. The report shows exactly those two failures, citing the
 * backup and the month, exits 24, reads back, and its exported files verify against their
 * signatures until a byte changes. Its HTML page is opened in headless Chromium and kept as a
 * screenshot under target/screenshots/report/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("report-it-passphrase-9d2");
    private static final String DATABASE = "shop";
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots", "report");

    private LocalCluster cluster;
    private Path home;
    private CellarCli cli;
    private final List<String> verified = new ArrayList<>();
    private String unverified;
    private String quarter;
    private YearMonth missedMonth;
    private Instant at;
    private JsonNode report;
    private CellarCli.Run run;

    @BeforeAll
    void backUpVerifyAndReport() throws Exception {
        home = TestFolders.create("cellar-report-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-report-it-pg"));
        cluster.createDatabase(DATABASE);
        cluster.execute(DATABASE, """
                CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
                CREATE TABLE orders (id int PRIMARY KEY, customer int NOT NULL REFERENCES customers, total numeric(10,2) NOT NULL);
                INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 200) g;
                INSERT INTO orders SELECT g, 1 + g % 200, g % 97 FROM generate_series(1, 2000) g;
                """);
        Repository repository = CheapKdfRepositories.init(home.resolve("repo"), PASSPHRASE);
        cli = new CellarCli(Map.of(
                "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_REPOSITORY_PATH", home.resolve("repo").toString(),
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", DATABASE,
                "CELLAR_BACKUP_WORK_DIR", home.resolve("work").toString(),
                "CELLAR_SERVER_STATE_DIR", home.resolve("state").toString()));
        verified.add(backUp());
        verified.add(backUp());
        ok("verify", "--all", "--json");
        unverified = backUp();
        String restoreTested = backUp();
        ok("verify", "--restore-test", restoreTested, "--json");
        verified.add(restoreTested);

        Instant now = Instant.now();
        quarter = now.atZone(ZoneOffset.UTC).getYear() + "Q" + now.atZone(ZoneOffset.UTC).get(IsoFields.QUARTER_OF_YEAR);
        at = now.plusSeconds(60);
        ReportPeriod period = ReportPeriod.quarter(quarter);
        missedMonth = period.firstMonth();
        ReportStore store = ReportStore.of(repository);
        for (YearMonth month : period.monthsBegunBy(at)) {
            if (!month.equals(missedMonth)) {
                storeDrill(store, month);
            }
        }
        run = cli.run("report", "quarterly", "--quarter", quarter, "--at", at.toString(), "--output", home.resolve("export").toString(), "--json");
        report = JSON.readTree(run.stdout().isBlank() ? "{}" : run.stdout());
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theReportShowsExactlyTheUnverifiedBackupAndTheMissedDrillAndExits24() {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(24);
        assertThat(report.get("passed").asBoolean()).isFalse();
        List<String> failed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (JsonNode check : report.get("report").get("checks")) {
            if ("FAILED".equals(check.get("status").asText())) {
                failed.add(check.get("name").asText());
                check.get("findings").forEach(f -> failures.add(f.get("subject").asText() + ": " + f.get("reason").asText()));
            }
        }
        assertThat(failed).containsExactlyInAnyOrder("backups verified", "drills passed, RTO and RPO met");
        assertThat(failures).as("%s%n%s", run, cli.run("audit").stdout()).hasSize(2);
        JsonNode restores = report.get("report").get("checks").get(5);
        assertThat(restores.get("summary").asText()).as("the restore test's scratch restore is no restore").startsWith("0 restore(s)");
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith(unverified + ": ").contains("never verified"));
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith(missedMonth + ": ").contains("missed drill for " + missedMonth));
        String evidence = report.get("report").get("checks").get(0).get("evidence").toString();
        verified.forEach(id -> assertThat(evidence).contains(id));
        assertThat(evidence).contains("restore test, audit record #").contains("target all");
    }

    @Test
    void theStoredReportReadsBackAndIsAudited() throws Exception {
        String id = report.get("report").get("id").asText();
        JsonNode listed = JSON.readTree(ok("report", "list", "--json").stdout());
        assertThat(listed.findValuesAsText("id")).contains(id);
        JsonNode shown = JSON.readTree(ok("report", "show", id, "--json").stdout());
        assertThat(shown.get("report").get("checks")).isEqualTo(report.get("report").get("checks"));
        assertThat(shown.get("failures").asInt()).isEqualTo(2);
        JsonNode audit = JSON.readTree(ok("audit", "--json").stdout());
        assertThat(audit.toString()).contains("report.quarterly").contains("report " + id);
    }

    @Test
    void exportedFilesVerifyAgainstTheirSignaturesUntilAByteChanges() throws Exception {
        Path exported = home.resolve("export");
        for (String file : List.of("report.json", "report.md", "report.html")) {
            assertThat(exported.resolve(file + ".sig")).exists();
            CellarCli.Run verify = ok("report", "verify", exported.resolve(file).toString());
            assertThat(verify.stdout()).startsWith("verified: ");
        }
        Path copy = home.resolve("tampered");
        String id = report.get("report").get("id").asText();
        ok("report", "export", id, "--output", copy.toString());
        byte[] md = Files.readAllBytes(copy.resolve("report.md"));
        md[md.length / 2] ^= 0x01;
        Files.write(copy.resolve("report.md"), md);
        CellarCli.Run refused = cli.run("report", "verify", copy.resolve("report.md").toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(10);
        assertThat(refused.stdout()).contains("REFUSED").contains("does not match");
    }

    @Test
    void theHtmlPageShowsBothFailuresInHeadlessChromium() throws Exception {
        Path html = home.resolve("export").resolve("report.html");
        assertThat(Files.readString(html)).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        Files.createDirectories(SCREENSHOTS);
        Path png = SCREENSHOTS.resolve("quarterly.png");
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true).setExecutablePath(chromium()))) {
            Page page = browser.newPage();
            page.navigate(html.toUri().toString());
            String text = page.locator("body").innerText();
            assertThat(text).contains(unverified).contains("missed drill for " + missedMonth).contains("FAILED");
            assertThat(page.locator("#summary tr").count()).isEqualTo(7);
            assertThat(page.locator(".status.failed").count()).isGreaterThanOrEqualTo(3);
            page.screenshot(new Page.ScreenshotOptions().setPath(png).setFullPage(true));
        }
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    @Test
    void theAnnualReportOfOneDatabaseAddsRetentionAndTheSecurityAssessment() throws Exception {
        String year = quarter.substring(0, 4);
        CellarCli.Run annual = cli.run("report", "annual", "--year", year, "--at", at.toString(), "--database", DATABASE, "--json");
        JsonNode made = JSON.readTree(annual.stdout());
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        made.get("report").get("checks").forEach(c -> checks.put(c.get("name").asText(), c));

        assertThat(annual.exitCode()).as(annual.toString()).isEqualTo(24);
        assertThat(made.get("report").get("database").asText()).isEqualTo(DATABASE);
        assertThat(checks).hasSize(13).containsKeys("retention compliance", "monthly archives present", "encryption on for every object kind", "key slots", "TLS",
                "web users with a second factor", "audit trail: who did what");
        assertThat(checks.get("encryption on for every object kind").get("status").asText()).isEqualTo("PASSED");
        assertThat(checks.get("monthly archives present").get("summary").asText()).contains("schedule.archive is off for " + DATABASE);
        assertThat(checks.get("TLS").get("status").asText()).as("no server.tls.keystore configured").isEqualTo("FAILED");
        assertThat(checks.get("web users with a second factor").get("summary").asText()).startsWith("not assessed: no catalog");
        assertThat(checks.get("audit trail: who did what").get("evidence").toString()).contains(" backup.logical: 8 record(s)");
        assertThat(checks.get("backups verified").get("findings").findValuesAsText("subject")).containsExactly(unverified);
        JsonNode listed = JSON.readTree(ok("report", "list", "--json").stdout());
        assertThat(listed.findValuesAsText("kind")).contains("quarterly", "annual");
    }

    private void storeDrill(ReportStore store, YearMonth month) {
        Instant started = month.atDay(2).atStartOfDay().toInstant(ZoneOffset.UTC);
        String id = month.toString().replace("-", "") + "02T000000Z-drill";
        DrillSummary summary = new DrillSummary(id, DATABASE, started, started.plusSeconds(300), true, Duration.ofMinutes(5),
                Duration.ofSeconds(40), Duration.ofHours(4), Duration.ofMinutes(15), List.of(), List.of());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(DrillSummary.FILE, RepositoryJson.write(summary));
        files.put("report.md", ("# drill " + id + "\n").getBytes());
        store.put(ReportStore.DRILL, id, files);
    }

    private String backUp() throws Exception {
        return JSON.readTree(ok("backup", "logical", "--json").stdout()).get("manifest").get("id").asText();
    }

    private CellarCli.Run ok(String... args) {
        CellarCli.Run result = cli.run(args);
        assertThat(result.exitCode()).as("cellar " + String.join(" ", args) + "\n" + result).isZero();
        return result;
    }

    /** Debian's chromium from the PATH, as the dashboard's browser tests find it (.ci/run installs it). */
    private static Path chromium() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Paths.get(dir, name)))
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("no chromium on the PATH: install Debian's chromium (apt-get install chromium)"));
    }
}
