package dev.cellar.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.ListenAddress;
import dev.cellar.drill.DrillSummary;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.TestRepositories;
import dev.cellar.report.CheckStatus;
import dev.cellar.report.ComplianceReport;
import dev.cellar.report.ReportCheck;
import dev.cellar.report.ReportFiles;
import dev.cellar.report.ReportStore;
import dev.cellar.server.catalog.TestCatalogs;
import dev.cellar.server.http.CellarHttpServer;
import dev.cellar.server.metrics.MonitoringSnapshot;
import dev.cellar.web.api.StoredReports;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The dashboard in Debian's Chromium (headless, through Playwright) on a real catalog holding a year of two
 * databases: one whose newest backup is 26 h old (CRITICAL), one backed up two hours ago (OK). Every page is
 * loaded as admin and as auditor, on a desktop and on a phone, and kept as a screenshot in target/screenshots.
 */
class DashboardBrowserIT {
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final List<String> ADMIN_PAGES = List.of("/", "/history", "/history?database=orders&days=365", "/alerts", "/schedules",
            "/backups", "/backups/orders-l-0", "/restore", "/audit", "/drills", "/reports", "/users", "/operations/op-1");
    private static final List<String> AUDITOR_PAGES = List.of("/", "/history", "/alerts", "/schedules", "/backups", "/backups/orders-l-0",
            "/audit", "/drills", "/reports", "/operations/op-1");
    // whatever would change state: an htmx request other than GET, the restore wizard, a form or button that posts to the API
    private static final String CHANGING = "[hx-post],[hx-put],[hx-patch],[hx-delete],form[data-restore],form[data-api],"
            + "form[method=post],button[data-api],[data-post]";

    private static LocalCluster cluster;
    private static CellarHttpServer server;
    private static Playwright playwright;
    private static Browser browser;
    private static String base;
    private static Instant now;
    private static PGSimpleDataSource catalog;
    private static final Map<String, BrowserContext> CONTEXTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path folder = TestFolders.create("dashboard-browser");
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        cluster = LocalCluster.start(folder);
        catalog = TestCatalogs.migrated(cluster, "catalog");
        CatalogFixture fixture = new CatalogFixture(catalog, now);
        fixture.database("orders", Duration.ofHours(26), false, 365);
        fixture.database("billing", Duration.ofHours(2), true, 365);
        fixture.verifies(365, 9);
        fixture.incidents("orders");
        fixture.jobRun("full:orders", "backup-full", "orders", Duration.ofHours(2), "failed", "pg_dump: connection refused");
        fixture.jobRun("full:billing", "backup-full", "billing", Duration.ofHours(2), "ok", null);
        // what backup_monitoring also judges: a pair that never succeeded, one only expected, one whose newest backup expired
        cluster.execute("catalog", """
                INSERT INTO cellar.backup_log (audit_mac, operation, backup_type, database, target, started_at, status, error,
                                               first_sequence, last_sequence, backup_id, expired_at)
                VALUES ('mac-ghost', 'backup.logical', 'logical', 'ghost', 'ghost', now() - interval '3 hours', 'failed',
                        'pg_dump: permission denied', 1, 1, NULL, NULL),
                       ('mac-exp-1', 'backup.logical', 'logical', 'expiring', 'expiring', now() - interval '2 hours', 'ok', NULL,
                        1, 1, 'expiring-new', now() - interval '1 hour'),
                       ('mac-exp-2', 'backup.logical', 'logical', 'expiring', 'expiring', now() - interval '24 hours', 'ok', NULL,
                        1, 1, 'expiring-old', NULL);
                INSERT INTO cellar.expected_backup VALUES ('fresh', 'physical');""");

        Repository repository = TestRepositories.init(Files.createDirectories(folder.resolve("repo")));
        repository.manifests().save(manifest(now));
        repository.audit().append("backup.logical", "orders", "ok", "orders-l-0", 2_000_000_000L, Duration.ofMinutes(4));
        repository.audit().append("restore.logical", "orders_copy", "ok", "from orders-l-0", 0, Duration.ofMinutes(9));
        storeDrillsAndAReport(repository);

        CellarConfig config = ConfigLoader.load(Files.writeString(folder.resolve("cellar.yaml"), """
                repository:
                  path: %s
                databases:
                  orders:
                    rpo-objective-seconds: 3600
                  billing:
                    data-dir: %s
                """.formatted(folder.resolve("repo"), folder.resolve("billing-data"))), Map.of(), Map.of());
        DashboardRoutes dashboard = new DashboardRoutes(config, catalog, new CookieTestGuard(clock), clock, () -> null,
                new OpenRepositoryReads(repository));
        server = CellarHttpServer.start(new ListenAddress("127.0.0.1", 0), List.of(dashboard, new StandInApiRoutes(clock)));
        base = "http://127.0.0.1:" + server.address().port();

        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true).setExecutablePath(chromium()));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        CONTEXTS.values().forEach(BrowserContext::close);
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyPageLoadsWithoutAScriptErrorOnADesktopAndAPhoneWithoutSidewaysScrolling() {
        for (boolean phone : List.of(false, true)) {
            for (String path : ADMIN_PAGES) {
                visit("alice", "admin", phone, path, page -> {
                    int overflow = ((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue();
                    assertThat(overflow).as("sideways scroll on a %s at %s", phone ? "phone" : "desktop", path).isLessThanOrEqualTo(0);
                    screenshot(page, path, phone ? "phone" : "desktop");
                });
            }
        }
        visit(null, null, false, "/login", page -> {
            assertThat(page.locator("form[data-login] input[name=password]").count()).isEqualTo(1);
            screenshot(page, "/login", "desktop");
        });
        visit(null, null, true, "/login", page -> screenshot(page, "/login", "phone"));
    }

    @Test
    void theStatusBoardSaysCriticalForTheDatabaseLast26HoursAgoAndOkForTheOther() {
        visit("olga", "auditor", false, "/", page -> {
            String orders = page.locator("tr[data-database=orders][data-type=logical] .status").textContent().trim();
            String billing = page.locator("tr[data-database=billing][data-type=logical] .status").textContent().trim();
            assertThat(orders).isEqualTo("CRITICAL");
            assertThat(billing).isEqualTo("OK");
            assertThat(page.locator("tr[data-database=orders][data-type=logical]").textContent()).contains("26 h").contains("missed");
            // the words are there without colour, and the board says what it could not observe
            assertThat(page.locator("#status-board").textContent()).contains("not observed");
            assertThat(page.locator("tbody tr").first().locator(".status").textContent()).contains("CRITICAL");
            assertThat(page.locator("tr[data-database=ghost] .status").textContent()).contains("CRITICAL");
        });
    }

    @Test
    void theHistoryChartsAreDrawnWithDataAndTheAlertBand() {
        visit("olga", "auditor", false, "/history?database=orders&days=365", page -> {
            page.waitForSelector("[data-chart=size-logical] canvas");
            Object seriesLengths = page.evaluate("""
                    () => echarts.getInstanceByDom(document.querySelector('[data-chart=size-logical]')).getOption().series
                            .map(s => s.data.filter(point => point[1] !== null).length)""");
            assertThat((List<?>) seriesLengths).hasSize(4).allMatch(n -> ((Number) n).intValue() > 300);
            assertThat(page.locator("[data-chart] canvas").count()).isGreaterThanOrEqualTo(4);
            // the half-size backup 40 days ago is outside the band: the page counts what the alert fired on
            assertThat(page.locator("main").textContent()).containsPattern("[1-9]\\d* outside the size band");
        });
    }

    @Test
    void theDrillsChartDrawsRtoAndRpoPerDrillAndTheTableSaysWhyOneFailed() {
        visit("olga", "auditor", false, "/drills", page -> {
            page.waitForSelector("[data-chart=drills] canvas");
            Object rtoPoints = page.evaluate("""
                    () => echarts.getInstanceByDom(document.querySelector('[data-chart=drills]')).getOption().series[0]
                            .data.filter(point => point[1] !== null).length""");
            assertThat(((Number) rtoPoints).intValue()).isEqualTo(2);
            assertThat(page.locator("#drills tbody tr").first().textContent()).contains("failed").contains("missed the objective");
            assertThat(page.locator("#drills .status-ok").textContent()).contains("passed");
        });
        visit("olga", "auditor", false, "/reports", page ->
                assertThat(page.locator("#reports a[href$='/report.html']").count()).isEqualTo(1));
    }

    /** Two drills of orders (the newer failed, with a long reason) and a quarterly report, stored as the commands store them. */
    private static void storeDrillsAndAReport(Repository repository) {
        ReportStore store = ReportStore.of(repository);
        Instant older = now.minus(Duration.ofDays(40));
        Instant newer = now.minus(Duration.ofDays(10));
        store.put(ReportStore.DRILL, "drill-1", drillFiles(new DrillSummary("drill-1", "orders", older, older.plusSeconds(700), true,
                Duration.ofMinutes(11), Duration.ofSeconds(40), Duration.ofMinutes(45), Duration.ofMinutes(5), List.of(), List.of("orders-l-0"))));
        store.put(ReportStore.DRILL, "drill-2", drillFiles(new DrillSummary("drill-2", "orders", newer, newer.plusSeconds(3300), false,
                Duration.ofMinutes(55), Duration.ofMinutes(7), Duration.ofMinutes(45), Duration.ofMinutes(5),
                List.of("RTO 55 min missed the objective 45 min (default): the physical copy of orders-p-20261101T020000Z-1a2b replayed "
                        + "WAL for 38 min", "RPO 7 min missed the objective 5 min (default)"), List.of("orders-l-0"))));
        ComplianceReport report = new ComplianceReport("report-1", ReportStore.QUARTERLY, "2026-Q3", "orders", now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(8)), now, now, "repo", List.of(new ReportCheck("drills", CheckStatus.PASSED, "a drill passed",
                        List.of(), List.of("drill-1"))));
        store.put(ReportStore.QUARTERLY, "report-1", ReportFiles.of(report));
    }

    private static Map<String, byte[]> drillFiles(DrillSummary summary) {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put(DrillSummary.FILE, RepositoryJson.write(summary));
        files.put("report.html", ("<!doctype html><title>" + summary.id() + "</title>").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return files;
    }

    @Test
    void anAuditorSeesNoButtonThatChangesAnythingWhereAnAdminDoes() {
        for (String path : AUDITOR_PAGES) {
            visit("olga", "auditor", false, path, page ->
                    assertThat(page.locator(CHANGING).count()).as("changing controls for an auditor on %s", path).isZero());
        }
        for (String path : List.of("/", "/alerts", "/backups/orders-l-0", "/restore", "/users", "/operations/op-1")) {
            visit("alice", "admin", false, path, page ->
                    assertThat(page.locator(CHANGING).count()).as("changing controls for an admin on %s", path).isPositive());
        }
        assertThat(status("olga", "auditor", "/restore")).isEqualTo(403);
        assertThat(status("olga", "auditor", "/users")).isEqualTo(403);
        assertThat(status("oscar", "operator", "/audit")).isEqualTo(403);
    }

    @Test
    void anOperatorMayAcknowledgeOnlyOpenAlertsAndStartBackupsButNotRestore() {
        visit("oscar", "operator", false, "/alerts", page -> {
            assertThat(page.locator("#alerts").textContent()).contains("open").contains("acknowledged").contains("resolved")
                    .contains("by alice");
            assertThat(page.locator("button:has-text('Acknowledge')").count()).isEqualTo(1);
        });
        visit("oscar", "operator", false, "/", page -> {
            assertThat(page.locator("button:has-text('Back up')").count()).isEqualTo(page.locator("#status-board tbody tr").count())
                    .isGreaterThanOrEqualTo(3);
            assertThat(page.locator("nav a[href='/restore']").count()).isZero();
            // the whole board, buttons included, fits a desktop without scrolling the table sideways
            assertThat(((Number) page.evaluate("(() => { const box = document.querySelector('#status-board').parentElement;"
                    + " return box.scrollWidth - box.clientWidth; })()")).intValue()).isLessThanOrEqualTo(0);
        });
    }

    @Test
    void theRestoreWizardAsksForTheSecondFactorOnlyToRestoreOverAnExistingDatabase() {
        visit("dora", "dba", false, "/restore?backup=orders-l-0", page -> {
            assertThat(page.locator("select[name=backup]").inputValue()).isEqualTo("orders-l-0");
            assertThat(page.locator("#restore-second-factor").isVisible()).isFalse();
            page.locator("input[name=overExisting]").check();
            assertThat(page.locator("#restore-second-factor").isVisible()).isTrue();
            assertThat(page.locator("input[name=code]").getAttribute("required")).isNotNull();
            page.locator("input[name=overExisting]").uncheck();
            assertThat(page.locator("input[name=code]").getAttribute("required")).isNull();
        });
    }

    @Test
    void aBackupShowsItsTablesWithRowCountsFromTheRepository() {
        visit("olga", "auditor", false, "/backups/orders-l-0", page -> {
            assertThat(page.locator("#tables").textContent()).contains("public.orders").contains("1,205").contains("public.guests");
            assertThat(page.locator("main").textContent()).contains("orders").contains("ok");
        });
    }

    @Test
    void theAuditPageFiltersTheTrailAndSaysTheChainIsIntact() {
        visit("olga", "auditor", false, "/audit?operation=restore", page -> {
            assertThat(page.locator("#chain-status").textContent()).contains("INTACT");
            assertThat(page.locator("#audit tbody tr").count()).isEqualTo(1);
            assertThat(page.locator("#audit").textContent()).contains("restore.logical").doesNotContain("backup.logical");
        });
    }

    @Test
    void anOperationsProgressArrivesByServerSentEvents() {
        visit("olga", "auditor", false, "/operations/op-1", page -> {
            page.waitForFunction("document.getElementById('operation-done').textContent.includes('succeeded')");
            // once ended, the page reads the record: the last progress stays, and no Approve/Reject is offered
            page.waitForFunction("document.getElementById('operation-progress').textContent.startsWith('finished')");
            assertThat(page.locator("#operation-progress").textContent()).isEqualTo("finished (succeeded) · last: restoring tables · 3 / 10");
            assertThat(page.locator("#operation-state").textContent()).isEqualTo("succeeded");
        });
        visit("alice", "admin", false, "/operations/op-1", page -> {
            page.waitForFunction("document.getElementById('operation-progress').textContent.startsWith('finished')");
            assertThat(page.locator("button:has-text('Approve')").isVisible()).as("nothing awaits approval").isFalse();
        });
    }

    @Test
    void theBoardsIndexedQueryJudgesEveryPairAsBackupMonitoringDoes() throws Exception {
        for (Duration back : List.of(Duration.ZERO, Duration.ofMinutes(90), Duration.ofDays(30), Duration.ofDays(200))) {
            Instant at = now.minus(back);
            List<String> fast = monitoringRows(StatusBoardService.MONITORING, at);
            List<String> function = monitoringRows("""
                    SELECT database, backup_type, last_backup, status, backup_size_mb, duration_minutes, 0, backup_id
                      FROM cellar.backup_monitoring_at(?)""", at);
            assertThat(fast).as("at %s", at).isEqualTo(function).hasSizeGreaterThanOrEqualTo(5);
        }
    }

    private static List<String> monitoringRows(String sql, Instant at) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(at));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(String.join("|", r.getString(1), r.getString(2), String.valueOf(r.getTimestamp(3)), r.getString(4),
                            String.valueOf(r.getBigDecimal(5)), String.valueOf(r.getBigDecimal(6)), String.valueOf(r.getString(8))));
                }
            }
        }
        return rows;
    }

    @Test
    void aPageWithoutASessionSendsTheBrowserToTheLoginPage() {
        visit(null, null, false, "/history?database=orders", page -> {
            assertThat(page.url()).isEqualTo(base + "/login?next=%2Fhistory%3Fdatabase%3Dorders");
            assertThat(page.locator("h1").textContent()).isEqualTo("Cellar");
        });
    }

    /** Opens {@code path} as the user (none when null), checks it, and fails on any script or console error. */
    private static void visit(String user, String role, boolean phone, String path, Consumer<Page> check) {
        Page page = context(user, role, phone).newPage();
        try {
            List<String> errors = new ArrayList<>();
            page.onConsoleMessage(m -> {
                if (m.type().equals("error")) {
                    errors.add(m.text());
                }
            });
            page.onPageError(errors::add);
            Response response = page.navigate(base + path);
            // the pages ask /api/session once loaded (and draw their charts): an error there must be seen too
            page.waitForSelector("body[data-ready]");
            assertThat(response.status()).as("status of %s", path).isEqualTo(200);
            check.accept(page);
            assertThat(errors).as("console errors on %s as %s", path, role).isEmpty();
        } finally {
            page.close();
        }
    }

    /** One browser context per user and device for the class: a new page in it is cheap, a new context is not. */
    private static BrowserContext context(String user, String role, boolean phone) {
        return CONTEXTS.computeIfAbsent(user + ":" + role + ":" + phone, key -> {
            BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                    .setViewportSize(phone ? 390 : 1280, phone ? 844 : 900).setIsMobile(phone).setHasTouch(phone));
            if (user != null) {
                context.addCookies(List.of(new Cookie(CookieTestGuard.COOKIE, user + ":" + role).setUrl(base)));
            }
            return context;
        });
    }

    private static int status(String user, String role, String path) {
        Page page = context(user, role, false).newPage();
        try {
            return page.navigate(base + path).status();
        } finally {
            page.close();
        }
    }

    private static void screenshot(Page page, String path, String device) {
        String name = path.equals("/") ? "status" : path.substring(1).replaceAll("[^A-Za-z0-9]+", "-");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + "-" + device + ".png")).setFullPage(true));
    }

    /** Debian's chromium from the PATH; the tests need it (.ci/run installs it). */
    private static Path chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Paths.get(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no chromium on the PATH: install Debian's chromium (apt-get install chromium)");
    }

    private static BackupManifest manifest(Instant now) {
        Instant started = now.minus(Duration.ofHours(26));
        return new BackupManifest("orders-l-0", BackupManifest.KIND_LOGICAL, started, started.plus(Duration.ofMinutes(4)), "orders", "15.8",
                "cellar test", "127.0.0.1:5432", "cellar-server", List.of(), List.of(
                        table("orders", 1205), table("guests", 88), table("menu_items", 412)), 250_000_000L, 1, null, null);
    }

    private static BackupManifest.TableEntry table(String name, long rows) {
        return new BackupManifest.TableEntry("public", name, rows, false, null, List.of(name + "_pkey"), List.of(), List.of(), List.of(),
                List.of(), List.of());
    }

    /** The repository read straight through its own API, as ShowService and AuditService do once a context opened it. */
    private record OpenRepositoryReads(Repository repository) implements RepositoryReads {
        @Override
        public Optional<BackupManifest> manifest(String backupId) {
            try {
                return Optional.of(repository.manifests().load(backupId));
            } catch (CellarException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        @Override
        public AuditLog.AuditReport audit() {
            return repository.audit().read(0);
        }

        @Override
        public List<DrillSummary> drills() {
            return new StoredReports(repository).drills();
        }

        @Override
        public List<StoredReports.ReportListing> reports() {
            return new StoredReports(repository).reports();
        }
    }
}
