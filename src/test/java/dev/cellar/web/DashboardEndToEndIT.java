package dev.cellar.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.RequestOptions;
import dev.cellar.app.CatalogService;
import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.LogicalBackupService;
import dev.cellar.app.NeverPrompt;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.HostClock;
import dev.cellar.config.ListenAddress;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.http.CellarHttpServer;
import dev.cellar.web.auth.MutableClock;
import dev.cellar.web.auth.Role;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real dashboard end to end in Debian's Chromium (headless, through Playwright): the server's own web layer
 * (users and sessions on a migrated catalog, the REST API, the pages) on a real repository and a real PostgreSQL
 * with two small databases, one of them four-eyes. Users are enrolled through the API and log in through the login
 * page with their password and a TOTP code the test computes as an authenticator app would. The server's clock is
 * one the test moves, so a second factor can go stale without waiting.
 */
class DashboardEndToEndIT {
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots", "e2e");
    private static final String PASSWORD = dev.cellar.secrets.KnownSecrets.register("correct horse battery staple");
    private static final ObjectMapper JSON = new ObjectMapper();
    // whatever would change state: an htmx request other than GET, the restore wizard, a form that posts
    private static final String CHANGING = "[hx-post],[hx-put],[hx-patch],[hx-delete],form[data-restore],form[data-api],"
            + "form[method=post],button[data-api],[data-post]";
    private static final DefaultCodeGenerator AUTHENTICATOR = new DefaultCodeGenerator();

    private static LocalCluster cluster;
    private static CellarConfig config;
    private static Catalog catalog;
    private static WebLayer web;
    private static CellarHttpServer server;
    private static Playwright playwright;
    private static Browser browser;
    private static String base;
    private static MutableClock clock;
    private static String shopBackup;
    private static String ledgerBackup;
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void serverOnARealCatalogRepositoryAndCluster() throws Exception {
        Path folder = TestFolders.create("dashboard-e2e");
        cluster = LocalCluster.start(TestFolders.create("dashboard-e2e-pg"));
        cluster.createDatabase("shop");
        cluster.execute("shop", "CREATE TABLE orders (id int PRIMARY KEY, dish text NOT NULL); "
                + "INSERT INTO orders SELECT g, 'dish ' || g % 40 FROM generate_series(1, 3000) g");
        cluster.createDatabase("ledger");
        cluster.execute("ledger", "CREATE TABLE entries (id int PRIMARY KEY, amount numeric NOT NULL); "
                + "INSERT INTO entries SELECT g, g * 1.5 FROM generate_series(1, 800) g");
        cluster.createDatabase("cellar_catalog");
        Path passphrase = Files.writeString(folder.resolve("passphrase"), "e2e-passphrase");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        String connection = "    host: " + cluster.host() + "\n    port: " + cluster.port() + "\n    user: " + cluster.superuser() + "\n";
        Path yaml = Files.writeString(folder.resolve("cellar.yaml"), "repository:\n  path: " + folder.resolve("repo") + "\n"
                + "  passphrase-file: " + passphrase + "\n"
                + "backup:\n  jobs: 1\n  work-dir: " + Files.createDirectories(folder.resolve("work")) + "\n"
                + "catalog:\n  url: " + cluster.jdbcUrl("cellar_catalog") + "\n  user: " + cluster.superuser() + "\n"
                // every login of the class comes from 127.0.0.1: the throttle is tested elsewhere
                + "web:\n  login-attempts-per-minute: 200\n"
                + "databases:\n  shop:\n" + connection + "  ledger:\n" + connection + "    four-eyes: true\n", StandardCharsets.UTF_8);
        config = ConfigLoader.load(yaml, Map.of(), Map.of());
        try (CellarContext context = CellarContext.open(config, unattended())) {
            Repository.init(context.storage(), RepositorySecret.passphrase("e2e-passphrase".toCharArray()), ChunkerParameters.DEFAULT,
                    context.hostClock());
        }
        ledgerBackup = backUp("ledger");
        shopBackup = backUp("shop");
        catalog = Catalog.open(config.catalog(), new NeverPrompt());
        // as the server does at its first start: the catalog filled from the repository
        try (CellarContext context = CellarContext.open(config, unattended())) {
            new CatalogService(context, catalog).ingest();
        }
        // ... and then a day and two hours pass for shop: its newest backup is 26 h old
        cluster.execute("cellar_catalog", "UPDATE cellar.backup_log SET started_at = started_at - interval '26 hours', "
                + "finished_at = finished_at - interval '26 hours' WHERE database = 'shop'");

        clock = new MutableClock(Instant.now());
        web = WebLayer.open(config, catalog, clock, () -> null, Map.of(), WARNINGS::add);
        server = CellarHttpServer.start(new ListenAddress("127.0.0.1", 0), web.routes());
        base = "http://127.0.0.1:" + server.address().port();

        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true).setExecutablePath(chromium()));
        Files.createDirectories(SCREENSHOTS);

        for (Map.Entry<String, Role> user : Map.of("alice", Role.ADMIN, "dora", Role.DBA, "bob", Role.DBA, "oscar", Role.OPERATOR)
                .entrySet()) {
            web.auth().users().add(user.getKey(), user.getValue(), PASSWORD.toCharArray());
            enrolThroughTheApi(user.getKey());
        }
        web.auth().users().add("audrey", Role.AUDITOR, PASSWORD.toCharArray());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
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
    void aUserLogsInThroughTheLoginPageWithPasswordAndAuthenticatorCode() {
        try (BrowserContext context = desktop()) {
            Page page = context.newPage();
            page.navigate(base + "/backups");
            assertThat(page.url()).isEqualTo(base + "/login?next=%2Fbackups");
            page.waitForSelector("body[data-ready]");
            page.locator("input[name=user]").fill("oscar");
            page.locator("input[name=password]").fill(PASSWORD);
            page.locator("button[type=submit]").click();
            page.locator("input[name=code]").waitFor();
            assertThat(page.url()).as("no page before the second factor").contains("/login");
            page.locator("input[name=code]").fill(freshCode("oscar"));
            page.locator("button[type=submit]").click();
            page.waitForURL(base + "/backups");
            page.waitForSelector("body[data-ready]");
            assertThat(page.locator("nav").textContent()).contains("oscar (operator)");
            assertThat(page.locator("#backups").textContent()).contains(shopBackup);
            JsonNode session = json(context.request().get(base + "/api/session"));
            assertThat(session.path("user").asText()).isEqualTo("oscar");
            assertThat(session.path("secondFactorAt").isNull()).isFalse();
        }
    }

    @Test
    void theBoardSaysCriticalForA26HourOldBackupAndOkOnceABackupStartedFromItFinishes() throws Exception {
        try (BrowserContext context = loggedIn("oscar", true)) {
            List<String> seen = recordOperationTexts(context);
            Page page = context.newPage();
            open(page, "/");
            assertThat(page.locator("tr[data-database=shop][data-type=logical] .status").textContent().trim()).isEqualTo("CRITICAL");
            assertThat(page.locator("tr[data-database=shop][data-type=logical]").textContent()).contains("26 h");
            assertThat(page.locator("tr[data-database=ledger][data-type=logical] .status").textContent().trim()).isEqualTo("OK");

            Instant clicked;
            // the dump waits for this lock, so the page is seen while the backup runs
            try (Connection holder = cluster.connect("shop"); Statement lock = holder.createStatement()) {
                holder.setAutoCommit(false);
                lock.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
                clicked = Instant.now();
                page.locator("tr[data-database=shop][data-type=logical] button:has-text('Back up')").click();
                page.waitForURL(url -> url.startsWith(base + "/operations/"));
                page.waitForFunction("document.getElementById('operation-state').textContent.includes('running')");
                holder.rollback();
            }
            page.waitForFunction("document.getElementById('operation-done').textContent.includes('succeeded')",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertThat(seen).as("what the operation page showed, by server-sent events").anyMatch(text -> text.startsWith("running"));
            String operation = page.url().substring((base + "/operations/").length());
            String made = json(context.request().get(base + "/api/operations/" + operation)).path("result").path("manifest").path("id")
                    .asText();
            assertThat(made).isNotBlank().isNotEqualTo(shopBackup);

            open(page, "/");
            assertThat(page.locator("tr[data-database=shop][data-type=logical] .status").textContent().trim()).as("%s", WARNINGS)
                    .isEqualTo("OK");
            // the backup made from the board is the one that turned it OK (the one before is 26 h old)
            JsonNode board = json(context.request().get(base + "/api/status"));
            for (JsonNode row : board.path("rows")) {
                if (row.path("database").asText().equals("shop")) {
                    assertThat(Instant.parse(row.path("lastSuccess").asText())).isAfter(clicked);
                }
            }
            screenshot(page, "status-after-backup", true);
        }
    }

    @Test
    void theRestoreWizardWantsAFreshSecondFactorAndAFourEyesRestoreWaitsForASecondPerson() throws Exception {
        try (BrowserContext dora = loggedIn("dora", true)) {
            // the second factor of the login goes stale
            clock.advance(Duration.ofMinutes(6));
            cluster.execute("shop", "DELETE FROM orders WHERE id > 1000");
            Page page = dora.newPage();
            open(page, "/restore?backup=" + shopBackup);
            JsonNode refused = fetchFromThePage(page, "POST", "/api/restores",
                    "{\"backup\": \"" + shopBackup + "\", \"targetDatabase\": \"shop\", \"overExisting\": true}");
            assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.path("body").path("error").asText()).contains("second factor");

            fillRestore(page, shopBackup, "shop", "000000");
            page.locator("#flash").waitFor();
            assertThat(page.locator("#flash").textContent()).containsIgnoringCase("code");
            assertThat(page.url()).as("no restore without the code").contains("/restore");

            fillRestore(page, shopBackup, "shop", freshCode("dora"));
            page.waitForURL(url -> url.startsWith(base + "/operations/"));
            page.waitForFunction("document.getElementById('operation-done').textContent.includes('succeeded')",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertThat(rows("shop", "orders")).as("rows back after the restore over shop").isEqualTo(3000);

            // ledger is four-eyes: the restore waits for someone else
            cluster.execute("ledger", "DELETE FROM entries WHERE id > 100");
            open(page, "/restore?backup=" + ledgerBackup);
            fillRestore(page, ledgerBackup, "ledger", freshCode("dora"));
            page.waitForURL(url -> url.startsWith(base + "/operations/"));
            String operationUrl = page.url();
            page.waitForFunction("document.getElementById('operation-state').textContent.includes('awaiting-approval')");
            page.locator("button:has-text('Approve')").click();
            page.waitForFunction("!document.getElementById('flash').hidden");
            assertThat(page.locator("#flash").textContent()).contains("dora requested operation");
            assertThat(rows("ledger", "entries")).as("nothing restored before the approval").isEqualTo(100);

            try (BrowserContext bob = loggedIn("bob", true)) {
                Page second = bob.newPage();
                open(second, operationUrl.substring(base.length()));
                second.waitForFunction("document.getElementById('operation-state').textContent.includes('awaiting-approval')");
                screenshot(second, "operation-awaiting-approval", true);
                second.locator("button:has-text('Approve')").click();
                second.waitForFunction("document.getElementById('operation-done').textContent.includes('succeeded')",
                        null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            }
            JsonNode done = json(dora.request().get(base + "/api/operations/" + operationUrl.substring((base + "/operations/").length())));
            assertThat(done.path("requestedBy").asText()).isEqualTo("dora");
            assertThat(done.path("approvedBy").asText()).isEqualTo("bob");
            assertThat(rows("ledger", "entries")).as("rows back after the approved restore").isEqualTo(800);
        }
    }

    @Test
    void anAuditorSeesNoChangingButtonGets403FromTheApiAndTheRefusalIsAudited() throws Exception {
        try (BrowserContext context = loggedIn("audrey", false)) {
            Page page = context.newPage();
            for (String path : List.of("/", "/history", "/history?database=shop&days=30", "/alerts", "/schedules", "/backups",
                    "/backups/" + shopBackup, "/audit")) {
                open(page, path);
                assertThat(page.locator(CHANGING).count()).as("changing controls for an auditor on %s", path).isZero();
            }
            assertThat(page.navigate(base + "/restore").status()).isEqualTo(403);
            assertThat(page.navigate(base + "/users").status()).isEqualTo(403);

            open(page, "/backups");
            JsonNode refused = fetchFromThePage(page, "POST", "/api/backups", "{\"database\": \"shop\", \"type\": \"logical\"}");
            assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.path("body").path("error").asText()).contains("RUN_BACKUP");
        }
        try (CellarContext context = CellarContext.open(config, unattended())) {
            List<AuditRecord> records = context.openRepository().audit().read(0).records();
            assertThat(records).anySatisfy(r -> {
                assertThat(r.user()).isEqualTo("audrey");
                assertThat(r.operation()).isEqualTo("web.denied");
                assertThat(r.target()).contains("/api/backups");
                assertThat(r.host()).isEqualTo("127.0.0.1");
            });
        }
    }

    @Test
    void everyPageIsKeptAsAScreenshotOnADesktopAndAPhoneWithoutAScriptError() throws Exception {
        String verify;
        try (BrowserContext context = loggedIn("alice", false)) {
            String csrf = json(context.request().get(base + "/api/session")).path("csrfToken").asText();
            verify = json(context.request().post(base + "/api/verify", RequestOptions.create().setHeader("Content-Type", "application/json")
                    .setHeader("X-CSRF-Token", csrf).setData("{\"kind\": \"backups\", \"database\": \"shop\", \"backup\": \"" + shopBackup + "\"}")))
                    .path("operationId").asText();
        }
        List<String> pages = List.of("/operations/" + verify, "/", "/history", "/history?database=shop&days=30", "/alerts", "/schedules", "/backups",
                "/backups/" + shopBackup, "/restore?backup=" + shopBackup, "/audit", "/users");
        for (boolean phone : List.of(false, true)) {
            try (BrowserContext context = loggedIn("alice", phone)) {
                Page page = context.newPage();
                List<String> errors = new ArrayList<>();
                page.onConsoleMessage(m -> {
                    if (m.type().equals("error")) {
                        errors.add(m.text());
                    }
                });
                page.onPageError(errors::add);
                for (String path : pages) {
                    open(page, path);
                    if (path.startsWith("/operations/")) {
                        page.waitForFunction("document.getElementById('operation-done').textContent.includes('succeeded')");
                    }
                    if (path.equals("/users")) {
                        page.waitForFunction("document.querySelectorAll('#user-rows tr').length > 0");
                        assertThat(page.locator("#user-rows").textContent()).contains("audrey").contains("auditor");
                    }
                    int overflow = ((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue();
                    assertThat(overflow).as("sideways scroll at %s, past the edge: %s", path, overflowing(page)).isLessThanOrEqualTo(0);
                    screenshot(page, path, phone);
                }
                assertThat(errors).as("console errors on a %s", phone ? "phone" : "desktop").isEmpty();
            }
            try (BrowserContext context = browser.newContext(viewport(phone))) {
                Page page = context.newPage();
                open(page, "/login");
                screenshot(page, "/login", phone);
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    /** Logs in through the login page: password, then the authenticator's code when the user has a second factor. */
    private static BrowserContext loggedIn(String user, boolean phone) {
        BrowserContext context = browser.newContext(viewport(phone));
        Page page = context.newPage();
        open(page, "/login");
        page.locator("input[name=user]").fill(user);
        page.locator("input[name=password]").fill(PASSWORD);
        page.locator("button[type=submit]").click();
        if (SECRETS.containsKey(user)) {
            page.locator("input[name=code]").waitFor();
            page.locator("input[name=code]").fill(freshCode(user));
            page.locator("button[type=submit]").click();
        }
        page.waitForURL(base + "/");
        page.close();
        return context;
    }

    private static BrowserContext desktop() {
        return browser.newContext(viewport(false));
    }

    private static Browser.NewContextOptions viewport(boolean phone) {
        return new Browser.NewContextOptions().setViewportSize(phone ? 390 : 1280, phone ? 844 : 800).setIsMobile(phone).setHasTouch(phone);
    }

    /** Enrols the user's TOTP through the REST API, as the user themself after a password login, and keeps the secret. */
    private static void enrolThroughTheApi(String user) throws Exception {
        try (BrowserContext context = desktop()) {
            JsonNode login = json(context.request().post(base + "/api/session", RequestOptions.create()
                    .setHeader("Content-Type", "application/json").setData(JSON.writeValueAsString(Map.of("user", user, "password", PASSWORD)))));
            String csrf = login.path("csrfToken").asText();
            JsonNode enrolled = json(context.request().post(base + "/api/users/" + user + "/second-factor", RequestOptions.create()
                    .setHeader("Content-Type", "application/json").setHeader("X-CSRF-Token", csrf).setData("{}")));
            String secret = enrolled.path("secret").asText();
            assertThat(enrolled.path("recoveryCodes").size()).isEqualTo(10);
            SECRETS.put(user, secret);
            json(context.request().post(base + "/api/users/" + user + "/second-factor/confirm", RequestOptions.create()
                    .setHeader("Content-Type", "application/json").setHeader("X-CSRF-Token", csrf)
                    .setData("{\"code\": \"" + freshCode(user) + "\"}")));
        }
    }

    /** The authenticator's code half a minute later on the server's clock (a code is good once, so each use needs a new step). */
    private static String freshCode(String user) {
        clock.advance(Duration.ofSeconds(30));
        try {
            return AUTHENTICATOR.generate(SECRETS.get(user), Math.floorDiv(clock.instant().getEpochSecond(), 30));
        } catch (CodeGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(APIResponse response) {
        assertThat(response.ok()).as(response.status() + " " + response.url() + ": " + response.text()).isTrue();
        try {
            return JSON.readTree(response.text());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request made by the page's own script, with its session cookie and CSRF token: {status, body}. */
    private static JsonNode fetchFromThePage(Page page, String method, String path, String body) throws Exception {
        Object answer = page.evaluate("""
                ([method, path, body]) => fetch(path, {method, credentials: 'same-origin', body,
                    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': document.body.dataset.csrf}})
                  .then(r => r.text().then(text => JSON.stringify({status: r.status, body: JSON.parse(text || '{}')})))""",
                List.of(method, path, body));
        return JSON.readTree((String) answer);
    }

    private static void fillRestore(Page page, String backup, String target, String code) {
        page.locator("#flash").evaluate("box => { box.hidden = true; box.textContent = ''; }");
        page.locator("select[name=backup]").selectOption(backup);
        page.locator("input[name=targetDatabase]").fill(target);
        page.locator("input[name=overExisting]").check();
        page.locator("input[name=code]").fill(code);
        page.locator("button:has-text('Start the restore')").click();
    }

    /** Keeps every text the operation page shows for its state and progress, from before its scripts run. */
    private static List<String> recordOperationTexts(BrowserContext context) {
        List<String> seen = new CopyOnWriteArrayList<>();
        context.exposeFunction("cellarTestSaw", args -> {
            seen.add(String.valueOf(args[0]));
            return null;
        });
        context.addInitScript("""
                document.addEventListener('DOMContentLoaded', () => {
                  ['operation-state', 'operation-progress'].forEach(id => {
                    const el = document.getElementById(id);
                    if (el) { new MutationObserver(() => window.cellarTestSaw(el.textContent)).observe(el, {childList: true, subtree: true}); }
                  });
                });""");
        return seen;
    }

    /** The innermost elements that reach past the window's right edge, to name what scrolls sideways. */
    private static Object overflowing(Page page) {
        return page.evaluate("""
                () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                        && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
                    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 60))""");
    }

    private static void open(Page page, String path) {
        com.microsoft.playwright.Response response = page.navigate(base + path);
        assertThat(response.status()).as("status of %s", path).isEqualTo(200);
        page.waitForSelector("body[data-ready]");
    }

    private static int rows(String database, String table) throws Exception {
        try (Connection c = cluster.connect(database); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String backUp(String database) {
        CellarConfig one = config.forDatabase(config.scheduledDatabases().stream().filter(d -> d.name().equals(database)).findFirst()
                .orElseThrow());
        ContextOptions unattended = unattended();
        ContextOptions named = new ContextOptions(unattended.readOnly(), unattended.repositoryName(), unattended.lockWait(), true,
                unattended.warnings(), unattended.prompter(), unattended.env(), unattended.hostClock());
        try (CellarContext context = CellarContext.open(one, named)) {
            return new LogicalBackupService(context).backupDatabase(null, 1, ProgressListener.NONE).manifest().id();
        }
    }

    private static ContextOptions unattended() {
        return new ContextOptions(false, null, Duration.ofSeconds(30), false, WARNINGS::add, new NeverPrompt(), Map.of(),
                HostClock.system());
    }

    private static void screenshot(Page page, String path, boolean phone) {
        String name = path.equals("/") ? "status" : path.startsWith("/operations/") ? "operation"
                : path.startsWith("/backups/") ? "backup" : path.startsWith("/restore") ? "restore" : path.replaceAll("^/", "").replaceAll("[^A-Za-z0-9]+", "-");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + "-" + (phone ? "phone" : "desktop") + ".png"))
                .setFullPage(true));
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
}
