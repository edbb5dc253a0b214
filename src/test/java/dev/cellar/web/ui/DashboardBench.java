package dev.cellar.web.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Cookie;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.ListenAddress;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.server.catalog.TestCatalogs;
import dev.cellar.server.http.CellarHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * bench/dashboard.sh's measurement (run by hand, not a test): a catalog of 100 databases with a year of
 * daily logical and hourly physical backups, the status board's server time and page load in Chromium
 * (median of N), and axe-core on every page. Exits 1 when axe finds a serious or critical violation.
 *
 * <p>Arguments: {@code <axe.min.js> <chromium> <runs>}.
 */
public final class DashboardBench {
    private static final List<String> PAGES = List.of("/", "/history", "/alerts", "/schedules", "/backups", "/backups/db000-l-0",
            "/restore", "/audit", "/users", "/operations/op-1", "/login");

    private DashboardBench() {
    }

    public static void main(String[] args) throws Exception {
        Path axe = Paths.get(args[0]);
        Path chromium = Paths.get(args[1]);
        int runs = Integer.parseInt(args[2]);
        Path folder = TestFolders.create("dashboard-bench");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        try (LocalCluster cluster = LocalCluster.start(folder)) {
            PGSimpleDataSource catalog = TestCatalogs.migrated(cluster, "catalog");
            long filling = System.nanoTime();
            CatalogFixture fixture = new CatalogFixture(catalog, now);
            StringBuilder databases = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                String name = String.format("db%03d", i);
                fixture.database(name, Duration.ofHours(i % 10 == 0 ? 26 : 2), true, 365);
                databases.append("  ").append(name).append(":\n    data-dir: ").append(folder.resolve(name)).append('\n');
            }
            fixture.verifies(365, 9);
            fixture.incidents("db000");
            cluster.execute("catalog", "ANALYZE");
            long rows;
            try (var c = catalog.getConnection(); var s = c.createStatement(); var r = s.executeQuery("SELECT count(*) FROM cellar.backup_log")) {
                r.next();
                rows = r.getLong(1);
            }
            System.out.printf("catalog: 100 databases, %,d backup_log rows, filled in %d s%n", rows,
                    Duration.ofNanos(System.nanoTime() - filling).toSeconds());

            CellarConfig config = ConfigLoader.load(Files.writeString(folder.resolve("cellar.yaml"),
                    "repository:\n  path: " + folder.resolve("repo") + "\ndatabases:\n" + databases), Map.of(), Map.of());
            DashboardRoutes dashboard = new DashboardRoutes(config, catalog, new CookieTestGuard(clock), clock, () -> null, new NoRepository());
            try (CellarHttpServer server = CellarHttpServer.start(new ListenAddress("127.0.0.1", 0),
                    List.of(dashboard, new StandInApiRoutes(clock)))) {
                String base = "http://127.0.0.1:" + server.address().port();
                serviceTime(dashboard, runs);
                serverTime(base, runs);
                int serious = browser(base, chromium, axe, runs);
                System.exit(serious == 0 ? 0 : 1);
            }
        }
    }

    private static void serviceTime(DashboardRoutes dashboard, int runs) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs + 3; i++) {
            long start = System.nanoTime();
            dashboard.statusBoard().board();
            if (i >= 3) {
                times.add((System.nanoTime() - start) / 1e6);
            }
        }
        System.out.printf("status board query + assembly (StatusBoardService.board): median %.1f ms, max %.1f ms over %d runs%n",
                median(times), times.stream().mapToDouble(d -> d).max().orElse(0), runs);
    }

    private static void serverTime(String base, int runs) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/")).header("Cookie", CookieTestGuard.COOKIE + "=bench:admin").build();
        List<Double> times = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < runs + 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            bytes = response.body().length();
            if (i >= 3) {
                times.add((System.nanoTime() - start) / 1e6);
            }
        }
        System.out.printf("GET / (server render, loopback): median %.1f ms, max %.1f ms over %d runs, %,d characters%n", median(times),
                times.stream().mapToDouble(d -> d).max().orElse(0), runs, bytes);
    }

    private static int browser(String base, Path chromium, Path axe, int runs) {
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true).setExecutablePath(chromium))) {
            BrowserContext context = browser.newContext();
            context.addCookies(List.of(new Cookie(CookieTestGuard.COOKIE, "bench:admin").setUrl(base)));
            List<Double> loads = new ArrayList<>();
            for (int i = 0; i < runs + 2; i++) {
                Page page = context.newPage();
                page.navigate(base + "/");
                page.waitForSelector("body[data-ready]");
                double load = ((Number) page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                        + " return n.loadEventEnd - n.startTime; }")).doubleValue();
                if (i == runs + 1) {
                    System.out.println("last load, where the time went (ms from navigation start): " + page.evaluate(
                            "() => { const n = performance.getEntriesByType('navigation')[0]; return JSON.stringify({response: n.responseEnd,"
                                    + " interactive: n.domInteractive, domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd}); }"));
                }
                if (i >= 2) {
                    loads.add(load);
                }
                page.close();
            }
            System.out.printf("status board page load in chromium (navigation start to load event): median %.0f ms over %d runs%n",
                    median(loads), runs);
            return accessibility(context, base, axe);
        }
    }

    @SuppressWarnings("unchecked")
    private static int accessibility(BrowserContext context, String base, Path axe) {
        Map<String, Integer> byImpact = new TreeMap<>();
        int serious = 0;
        for (String path : PAGES) {
            Page page = context.newPage();
            page.navigate(base + path);
            page.waitForSelector("body[data-ready]");
            page.addScriptTag(new Page.AddScriptTagOptions().setPath(axe));
            List<Map<String, Object>> violations = (List<Map<String, Object>>) page.evaluate(
                    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                            + ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help}))");
            for (Map<String, Object> v : violations) {
                String impact = String.valueOf(v.get("impact"));
                byImpact.merge(impact, 1, Integer::sum);
                if (impact.equals("serious") || impact.equals("critical")) {
                    serious++;
                }
                System.out.printf("axe %-10s %-9s %-28s %s nodes: %s%n", path, impact, v.get("id"), v.get("nodes"), v.get("help"));
            }
            if (violations.isEmpty()) {
                System.out.printf("axe %-10s no violation%n", path);
            }
            page.close();
        }
        System.out.println("axe violations by impact: " + (byImpact.isEmpty() ? "none" : byImpact));
        return serious;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The bench measures the catalog pages; the repository's pages then say it cannot be read, which axe checks too. */
    private static final class NoRepository implements RepositoryReads {
        @Override
        public Optional<BackupManifest> manifest(String backupId) {
            return Optional.empty();
        }

        @Override
        public AuditLog.AuditReport audit() {
            return new AuditLog.AuditReport(List.of(), List.of(), List.of(), List.of(), List.of());
        }
    }
}
