package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.ConfigKey;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PersistentCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.web.auth.SecondFactor;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cellar itself is lost: a repository holds backups one machine made (with its own catalog), and
 * a FRESH {@code cellar server} (the packaged jar, an embedded catalog in a new state folder)
 * is given only the repository's location and passphrase (and the PostgreSQL server to restore
 * into). A first user is made from the shell, enrols TOTP through the API, logs in with password
 * and code, and through the REST API sees every backup of the repository and restores one into a
 * new database, whose rows are then there. A second admin does the same in headless Chromium: enrols its
 * second factor on the login page, finds every backup on the backups page and restores one with the wizard.
 */
class AdoptRepositoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("adopt-repository-it");
    private static final String PASSWORD = dev.cellar.secrets.KnownSecrets.register("first admin after the fire");
    private static final String USER = "rescuer";
    private static final String DATABASE = "shop";
    private static final String RESTORED = "shop_adopted";
    private static final String UI_USER = "second-rescuer";
    private static final String RESTORED_FROM_UI = "shop_adopted_from_ui";
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots", "adopt");
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LocalCluster cluster;
    private static Path folder;
    private static Path repoFolder;
    private static Path stateDir;
    private static CellarCli freshMachine;
    private static Process server;
    private static String base;
    private static final List<String> MACHINE_A_BACKUPS = new ArrayList<>();

    @BeforeAll
    static void aRepositoryMadeByAnotherMachine() throws Exception {
        folder = TestFolders.create("cellar-adopt-it");
        // owned by the server user, as the repository of an installed server is (the server runs as that user here)
        repoFolder = ServerUser.newFolder("cellar-adopt-it-repo");
        cluster = LocalCluster.start(TestFolders.create("cellar-adopt-it-pg"));
        cluster.createDatabase(DATABASE);
        cluster.execute(DATABASE, "CREATE TABLE orders (id int PRIMARY KEY, dish text NOT NULL);"
                + " INSERT INTO orders SELECT g, 'dish ' || g FROM generate_series(1, 300) g");
        cluster.createDatabase("machine_a_catalog");
        Map<String, String> database = Map.of(
                ConfigKey.DATABASE_HOST.env(), cluster.host(),
                ConfigKey.DATABASE_PORT.env(), Integer.toString(cluster.port()),
                ConfigKey.DATABASE_USER.env(), cluster.superuser(),
                ConfigKey.DATABASE_NAME.env(), DATABASE);
        Map<String, String> machineA = new HashMap<>(database);
        machineA.put("CELLAR_PASSPHRASE", PASSPHRASE);
        machineA.put(ConfigKey.REPOSITORY_PATH.env(), repoFolder.resolve("repo").toString());
        machineA.put(ConfigKey.CATALOG_URL.env(), cluster.jdbcUrl("machine_a_catalog"));
        machineA.put(ConfigKey.CATALOG_USER.env(), cluster.superuser());
        CellarCli a = new CellarCli(machineA);
        assertThat(a.run("init").exitCode()).isZero();
        for (int i = 0; i < 2; i++) {
            CellarCli.Run backup = a.run("backup", "logical", "--json");
            assertThat(backup.exitCode()).as(backup.toString()).isZero();
            cluster.execute(DATABASE, "INSERT INTO orders SELECT g, 'later ' || g FROM generate_series(" + (1001 + 100 * i) + ", "
                    + (1050 + 100 * i) + ") g");
        }
        CellarCli.Run list = a.run("list", "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        JSON.readTree(list.stdout()).get("backups").forEach(b -> MACHINE_A_BACKUPS.add(b.get("id").asText()));
        assertThat(MACHINE_A_BACKUPS).hasSize(2);
        // machine A is gone; its catalog with it. The repository folder is all that is left.
        cluster.execute("postgres", "DROP DATABASE machine_a_catalog");
        ServerUser.giveAway(repoFolder.resolve("repo"));

        // the new machine: a new state folder (its embedded catalog goes there), the repository and its passphrase
        stateDir = ServerUser.newFolder("cellar-adopt-it-state");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> fresh = new HashMap<>(database);
        fresh.put("CELLAR_PASSPHRASE", PASSPHRASE);
        fresh.put(ConfigKey.REPOSITORY_PATH.env(), repoFolder.resolve("repo").toString());
        fresh.put(ConfigKey.SERVER_STATE_DIR.env(), stateDir.toString());
        fresh.put(ConfigKey.SERVER_LISTEN.env(), "127.0.0.1:" + port);
        fresh.put(ConfigKey.WEB_ALLOW_HTTP_ON_LOOPBACK.env(), "true");
        freshMachine = new CellarCli(fresh).asServerUser();
        base = "http://127.0.0.1:" + port;
        server = freshMachine.startLogged(folder.resolve("server.log"), "server", "--node", "fresh", "--observe-every", "2");
        awaitServer();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
        }
        if (stateDir != null) {
            PersistentCluster.stop(stateDir.resolve("catalog"), PgBinaries.locate(null));
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFreshServerListsEveryBackupOfTheRepositoryAndRestoresOneThroughTheApi() throws Exception {
        addAdminFromTheShell(USER);

        // first login: password only, then enrol the authenticator app (an admin can do nothing else before)
        Session session = new Session();
        Answer first = session.call("POST", "/api/session", "{\"user\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(first.status).as(first.toString()).isEqualTo(200);
        assertThat(first.json.get("secondFactorEnrolmentRequired").asBoolean()).isTrue();
        assertThat(session.call("GET", "/api/backups", null).status).as("nothing before the second factor").isEqualTo(403);
        Answer enrol = session.call("POST", "/api/users/" + USER + "/second-factor", "{}");
        assertThat(enrol.status).as(enrol.toString()).isEqualTo(200);
        String secret = enrol.json.get("secret").asText();
        SecondFactor phone = new SecondFactor(Clock.systemUTC(), new SecureRandom());
        long step = SecondFactor.stepAt(Clock.systemUTC().instant());
        Answer confirm = session.call("POST", "/api/users/" + USER + "/second-factor/confirm", "{\"code\":\"" + phone.code(secret, step) + "\"}");
        assertThat(confirm.status).as(confirm.toString()).isEqualTo(200);
        assertThat(session.call("DELETE", "/api/session", null).status).isEqualTo(204);

        // a login as every later one: password, then a code (the next step's: each code works once)
        Session admin = new Session();
        Answer login = admin.call("POST", "/api/session", "{\"user\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.json.get("secondFactorRequired").asBoolean()).as(login.toString()).isTrue();
        Answer code = admin.call("POST", "/api/session/second-factor", "{\"code\":\"" + phone.code(secret, step + 1) + "\"}");
        assertThat(code.status).as(code.toString()).isEqualTo(200);

        Answer backups = admin.call("GET", "/api/backups", null);
        assertThat(backups.status).as(backups.toString()).isEqualTo(200);
        assertThat(backups.json.path("backups").findValuesAsText("id")).as("every backup machine A made")
                .containsExactlyInAnyOrderElementsOf(MACHINE_A_BACKUPS);

        String oldest = MACHINE_A_BACKUPS.stream().sorted().findFirst().orElseThrow();
        Answer started = admin.call("POST", "/api/restores", "{\"backup\":\"" + oldest + "\",\"targetDatabase\":\"" + RESTORED + "\"}");
        assertThat(started.status).as(started.toString()).isEqualTo(202);
        JsonNode done = pollUntilEnded(admin, started.json.get("operationId").asText());
        assertThat(done.path("state").asText()).as(done + "\n" + log()).isEqualTo("succeeded");
        try (Connection c = cluster.connect(RESTORED); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the rows of the first backup, not the 50 added after it").isEqualTo(300);
        }
    }

    @Test
    void aSecondAdminEnrolsOnTheLoginPageSeesEveryBackupAndRestoresOneFromTheDashboard() throws Exception {
        addAdminFromTheShell(UI_USER);
        Files.createDirectories(SCREENSHOTS);
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                        .setExecutablePath(chromium()));
                BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = context.newPage();
            List<String> scriptErrors = new ArrayList<>();
            page.onPageError(scriptErrors::add);

            // first login on the login page: the password, then the page enrols the second factor itself
            page.navigate(base + "/");
            page.waitForURL(url -> url.startsWith(base + "/login"));
            page.waitForSelector("body[data-ready]");
            page.locator("input[name=user]").fill(UI_USER);
            page.locator("input[name=password]").fill(PASSWORD);
            page.locator("button[type=submit]").click();
            page.waitForFunction("document.getElementById('enrolment-secret').textContent.trim().length > 0");
            String secret = page.locator("#enrolment-secret").textContent().trim();
            assertThat(page.locator("#enrolment-recovery").textContent().trim().split("\\s+")).as("recovery codes shown once").hasSize(10);
            assertThat(page.locator("#enrolment-qr").isVisible()).as("a QR code to scan").isTrue();
            screenshot(page, "enrolment");
            long step = SecondFactor.stepAt(Clock.systemUTC().instant());
            page.locator("input[name=enrolmentCode]").fill(authenticatorCode(secret, step));
            page.locator("button[type=submit]").click();
            page.waitForURL(base + "/");
            page.waitForSelector("body[data-ready]");
            assertThat(page.locator("nav").textContent()).contains(UI_USER + " (admin)");

            open(page, "/backups");
            String listed = page.locator("#backups").textContent();
            assertThat(MACHINE_A_BACKUPS).as("every backup machine A made, on the backups page").allSatisfy(id -> assertThat(listed).contains(id));
            screenshot(page, "backups");

            // the restore wizard: the newest backup into a new database (no second factor asked: nothing is overwritten)
            String newest = MACHINE_A_BACKUPS.stream().sorted().reduce((a, b) -> b).orElseThrow();
            open(page, "/restore?backup=" + newest);
            assertThat(page.locator("select[name=backup]").inputValue()).isEqualTo(newest);
            page.locator("input[name=targetDatabase]").fill(RESTORED_FROM_UI);
            page.locator("button:has-text('Start the restore')").click();
            page.waitForURL(url -> url.startsWith(base + "/operations/"));
            page.waitForFunction("document.getElementById('operation-done').textContent.includes('succeeded')", null,
                    new Page.WaitForFunctionOptions().setTimeout(DEADLINE.toMillis()));
            // a finished operation says so on its progress line, and offers no decision
            page.waitForFunction("document.getElementById('operation-progress').textContent.includes('finished')");
            assertThat(page.locator("#operation-progress").textContent()).startsWith("finished (succeeded)");
            assertThat(page.locator("#operation-state").textContent()).isEqualTo("succeeded");
            assertThat(page.locator("button:has-text('Approve')").isVisible()).isFalse();
            assertThat(page.locator("button:has-text('Reject')").isVisible()).isFalse();
            screenshot(page, "operation");
            try (Connection c = cluster.connect(RESTORED_FROM_UI); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM orders")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the rows of the second backup: 300 and the 50 added after the first").isEqualTo(350);
            }

            // adding a user is destructive: the form asks for a fresh code, and a wrong one adds nobody
            open(page, "/users");
            addUserOnThePage(page, "000000");
            page.waitForFunction("!document.getElementById('flash').hidden");
            assertThat(page.locator("#flash").textContent()).containsIgnoringCase("code");
            addUserOnThePage(page, authenticatorCode(secret, step + 1));
            page.waitForFunction("[...document.querySelectorAll('#user-rows td')].some(td => td.textContent === 'night-auditor')",
                    null, new Page.WaitForFunctionOptions().setTimeout(15_000));
            assertThat(scriptErrors).as("script errors").isEmpty();
        }
    }

    /** Debian's chromium from the PATH, as the dashboard's browser tests find it (.ci/run installs it). */
    private static Path chromium() {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .flatMap(dir -> java.util.stream.Stream.of("chromium", "chromium-browser").map(name -> Paths.get(dir, name)))
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("no chromium on the PATH: install Debian's chromium (apt-get install chromium)"));
    }

    private static void addUserOnThePage(Page page, String code) {
        page.locator("#flash").evaluate("box => { box.hidden = true; box.textContent = ''; }");
        page.locator("#add-user-form input[name=user]").fill("night-auditor");
        page.locator("#add-user-form input[name=password]").fill("reads the trail at night");
        page.locator("#add-user-form select[name=role]").selectOption("auditor");
        page.locator("#add-user-form input[name=code]").fill(code);
        page.locator("#add-user-form button[type=submit]").click();
    }

    private static String authenticatorCode(String secret, long step) throws Exception {
        return new DefaultCodeGenerator().generate(secret, step);
    }

    private static void open(Page page, String path) {
        assertThat(page.navigate(base + path).status()).as("status of %s", path).isEqualTo(200);
        page.waitForSelector("body[data-ready]");
    }

    private static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** {@code cellar user add NAME --role admin --password-stdin} on the fresh machine, as its administrator would. */
    private static void addAdminFromTheShell(String name) throws Exception {
        Process add = freshMachine.start("user", "add", name, "--role", "admin", "--password-stdin");
        try (OutputStream stdin = add.getOutputStream()) {
            stdin.write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        add.getInputStream().readAllBytes();
        assertThat(add.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(add.exitValue()).as(CellarCli.stderrSoFar(add)).isZero();
    }

    private static JsonNode pollUntilEnded(Session session, String id) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Answer op = session.call("GET", "/api/operations/" + id, null);
            assertThat(op.status).as(op.toString()).isEqualTo(200);
            if (!List.of("running", "awaiting-approval").contains(op.json.path("state").asText()) || System.nanoTime() > deadline) {
                return op.json;
            }
            Thread.sleep(200);
        }
    }

    private static void awaitServer() throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("the server stopped:\n" + log()).isTrue();
            try {
                if (new Session().call("GET", "/api/openapi.json", null).status == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the server did not serve /api/openapi.json within " + DEADLINE + ":\n" + log());
    }

    private static String log() {
        try {
            return Files.readString(folder.resolve("server.log"));
        } catch (java.io.IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    private record Answer(int status, JsonNode json, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A browser's worth of state: the session cookie and the CSRF token. */
    private static final class Session {
        String cookie;
        String csrf;

        Answer call(String method, String path, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (cookie != null) {
                request.header("Cookie", "cellar_session=" + cookie);
            }
            if (csrf != null) {
                request.header("X-CSRF-Token", csrf);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            response.headers().firstValue("Set-Cookie").ifPresent(set -> cookie = set.substring(set.indexOf('=') + 1, set.indexOf(';')));
            if (json.has("csrfToken") && !json.get("csrfToken").isNull()) {
                csrf = json.get("csrfToken").asText();
            }
            return new Answer(response.statusCode(), json, response.body());
        }
    }
}
