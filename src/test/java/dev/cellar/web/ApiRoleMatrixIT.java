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
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.http.CellarHttpServer;
import dev.cellar.web.auth.Argon2idPasswords;
import dev.cellar.web.auth.AuthAuditOperations;
import dev.cellar.web.auth.MutableClock;
import dev.cellar.web.auth.Role;
import dev.cellar.web.auth.SecondFactor;
import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every route of {@code /api/openapi.json}, called on the real web layer (real catalog, real
 * repository, real HTTP) with no credentials, a session and an API token of each role, an expired
 * token and a session with a wrong CSRF token: each answer is 401, 403 or allowed as the role table
 * below says. The table is written out by hand from the roles, not read from {@link Role},
 * so a change to a role or to a route's permission that breaks the rules fails here. Then
 * every refusal must be in the repository's audit trail, with the user and the source address.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiRoleMatrixIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = dev.cellar.secrets.KnownSecrets.register("matrix walk passphrase");
    private static final String REPOSITORY_PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("role-matrix-it-passphrase");
    /** A user name no route finds: user changes are refused or answered 404 without touching anyone. */
    private static final String NOBODY = "nobody-here";
    private static final String NO_SUCH_ID = "no-such-id";
    private static final List<String> ROLES = List.of("admin", "dba", "operator", "auditor");

    private static final String ADMIN = "admin";
    private static final String DBA = "dba";
    private static final String OPERATOR = "operator";
    private static final String AUDITOR = "auditor";

    /**
     * The roles, route by route: admin (users, keys, configuration, and all else), dba
     * (everything on backups, restores included), operator (run backups and verifications,
     * acknowledge alerts), auditor (read-only, the audit trail included). {@code tokens: false}
     * marks what only an interactive session may do: destructive calls (they need a fresh second
     * factor, which a token never proves) and what acts on the session itself.
     */
    private static final Map<String, Expected> TABLE = table(
            open("GET /api/openapi.json"),
            open("POST /api/session"),
            row("GET /api/session", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("DELETE /api/session", false, ADMIN, DBA, OPERATOR, AUDITOR),
            row("POST /api/session/second-factor", false, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/users", true, ADMIN),
            row("POST /api/users", false, ADMIN),
            row("PATCH /api/users/{user}", false, ADMIN),
            row("DELETE /api/users/{user}", false, ADMIN),
            // each user enrols their own second factor; replacing an enrolled one needs a fresh second factor
            row("POST /api/users/{user}/second-factor", false, ADMIN, DBA, OPERATOR, AUDITOR),
            row("POST /api/users/{user}/second-factor/confirm", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/tokens", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("POST /api/tokens", false, ADMIN, DBA, OPERATOR, AUDITOR),
            row("DELETE /api/tokens/{id}", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/status", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/catalog/history", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("POST /api/catalog/rebuild", true, ADMIN, DBA),
            row("GET /api/backups", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/backups/{id}", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("POST /api/backups", true, ADMIN, DBA, OPERATOR),
            row("POST /api/verify", true, ADMIN, DBA, OPERATOR),
            row("POST /api/restores", true, ADMIN, DBA),
            row("POST /api/expire", false, ADMIN, DBA),
            row("POST /api/gc", false, ADMIN, DBA),
            row("POST /api/unlock", false, ADMIN, DBA),
            row("POST /api/sync", true, ADMIN, DBA),
            row("GET /api/schedules", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/alerts", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("POST /api/alerts/{id}/ack", true, ADMIN, DBA, OPERATOR),
            row("GET /api/audit", true, ADMIN, DBA, AUDITOR),
            row("GET /api/gdpr/erasures", true, ADMIN, DBA, AUDITOR),
            row("POST /api/gdpr/erasures", true, ADMIN, DBA),
            row("POST /api/gdpr/erasures/now", false, ADMIN, DBA),
            // drills are read by every reader; the quarterly and annual reports are audit material
            row("GET /api/drills", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/drills/{id}", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/drills/{id}/report.html", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/reports", true, ADMIN, DBA, AUDITOR),
            row("GET /api/reports/{kind}/{id}", true, ADMIN, DBA, AUDITOR),
            row("GET /api/reports/{kind}/{id}/report.html", true, ADMIN, DBA, AUDITOR),
            row("GET /api/operations", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/operations/{id}", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("GET /api/operations/{id}/events", true, ADMIN, DBA, OPERATOR, AUDITOR),
            row("POST /api/operations/{id}/approve", false, ADMIN, DBA),
            row("POST /api/operations/{id}/reject", true, ADMIN, DBA));

    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static final SecondFactor PHONE = new SecondFactor(CLOCK, new SecureRandom());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
    /** Every 401 and 403 the walk got: who asked (a user, or anonymous) and which route. */
    private static final List<Refusal> REFUSALS = new CopyOnWriteArrayList<>();
    private static final Map<String, String> SECRETS = new HashMap<>();
    private static final Map<String, Long> LAST_STEP = new HashMap<>();
    private static final Map<String, Client> SESSIONS = new LinkedHashMap<>();
    private static final Map<String, Client> TOKENS = new LinkedHashMap<>();

    private static LocalCluster cluster;
    private static CellarConfig config;
    private static Catalog catalog;
    private static WebLayer web;
    private static CellarHttpServer server;
    private static Client expiredToken;
    private static Client wrongCsrf;

    @BeforeAll
    static void webLayerOnARealCatalogAndRepository() throws Exception {
        Path folder = TestFolders.create("cellar-role-matrix-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-role-matrix-it-pg"));
        cluster.createDatabase("shop");
        cluster.execute("shop", "CREATE TABLE orders (id int PRIMARY KEY, dish text NOT NULL); "
                + "INSERT INTO orders SELECT g, 'dish ' || g FROM generate_series(1, 100) g");
        // a person to erase, under a policy of this database's own
        cluster.execute("shop", "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL UNIQUE, full_name text, "
                + "created_at timestamptz NOT NULL); INSERT INTO users VALUES (7, 'dora@example.com', 'Dora Diner', now()), "
                + "(8, 'ed@example.com', 'Ed Eater', now())");
        Path policy = Files.writeString(folder.resolve("shop-policy.yaml"), """
                database: shop
                categories:
                  people:
                    retention: 2 years
                    tables:
                      users:
                        dated-by: created_at
                personal-data:
                  users:
                    email: pseudonymise
                    full_name: 'null'
                subjects: [users]
                not-personal:
                  orders: dishes only
                """, StandardCharsets.UTF_8);
        cluster.createDatabase("cellar_catalog");
        Path passphrase = Files.writeString(folder.resolve("passphrase"), REPOSITORY_PASSPHRASE);
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        // the throttle is raised: the walk logs in a dozen times within a minute from one address
        Path yaml = Files.writeString(folder.resolve("cellar.yaml"), "repository:\n  path: " + folder.resolve("repo") + "\n"
                + "  passphrase-file: " + passphrase + "\n"
                + "backup:\n  jobs: 1\n  work-dir: " + Files.createDirectories(folder.resolve("work")) + "\n"
                + "catalog:\n  url: " + cluster.jdbcUrl("cellar_catalog") + "\n  user: " + cluster.superuser() + "\n"
                + "web:\n  login-attempts-per-minute: 1000\n"
                + "databases:\n  shop:\n    host: " + cluster.host() + "\n    port: " + cluster.port() + "\n    user: "
                + cluster.superuser() + "\n    policy: " + policy + "\n", StandardCharsets.UTF_8);
        config = ConfigLoader.load(yaml, Map.of(), Map.of());
        try (CellarContext context = context(false)) {
            dev.cellar.repo.Repository.init(context.storage(), RepositorySecret.passphrase(REPOSITORY_PASSPHRASE.toCharArray()),
                    ChunkerParameters.DEFAULT, context.hostClock());
        }
        catalog = Catalog.open(config.catalog(), new NeverPrompt());
        // refusals are recorded one by one up to this many per caller and minute (then only counted in a summary):
        // the walk refuses one caller a few dozen times in a minute, and every refusal must be found on its own
        web = WebLayer.open(config, catalog, CLOCK, () -> null, Map.of(), WARNINGS::add, 100_000,
                new Argon2idPasswords(new Argon2idPasswords.Cost(4096, 1, 1), new SecureRandom()));
        server = CellarHttpServer.start(new ListenAddress("127.0.0.1", 0), web.routes());

        for (String role : ROLES) {
            web.auth().users().add(userOf(role), Role.of(role), PASSWORD.toCharArray());
        }
        // made first, then two days pass: the sessions opened below are not touched by it
        expiredToken = Client.bearer(null, web.auth().tokens().create(userOf(AUDITOR), "expired", Role.AUDITOR, 1).token());
        CLOCK.advance(Duration.ofDays(2));
        for (String role : ROLES) {
            SESSIONS.put(role, enrolAndLogIn(role));
            TOKENS.put(role, Client.bearer(userOf(role), web.auth().tokens().create(userOf(role), role, Role.of(role), 30).token()));
        }
        wrongCsrf = logIn(ADMIN);
        wrongCsrf.csrf = "not-the-csrf-token-of-this-session";
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
    @Order(1)
    void theDocumentAndJavalinsRegisteredRoutesAreTheSameSetForTheWholeWebLayer() throws Exception {
        Set<String> documented = documented(Client.anonymous().call("GET", "/api/openapi.json", null).json);
        Javalin app = Javalin.create(c -> web.routes().forEach(group -> group.addTo(c.routes)));
        Set<String> registered = new TreeSet<>();
        for (ParsedEndpoint endpoint : app.unsafe.internalRouter.allHttpHandlers()) {
            if (endpoint.endpoint.path.startsWith("/api/")) {
                registered.add(endpoint.endpoint.method.name() + " " + endpoint.endpoint.path);
            }
        }
        assertThat(registered).as("every /api route Javalin serves is in /api/openapi.json, and only those").isEqualTo(documented);
        assertThat(documented).as("the role table names every documented route, and no other").isEqualTo(new TreeSet<>(TABLE.keySet()));
    }

    @Test
    @Order(2)
    void everyRouteAnswersEveryCallerAsTheRoleTableSays() throws Exception {
        Set<String> documented = documented(Client.anonymous().call("GET", "/api/openapi.json", null).json);
        List<String> wrong = new ArrayList<>();
        for (String route : documented) {
            Expected expected = TABLE.get(route);
            assertThat(expected).as("a row for " + route).isNotNull();
            check(wrong, route, "no credentials", Client.anonymous(), expected.open());
            check(wrong, route, "an expired token", expiredToken, expected.open());
            check(wrong, route, "a session with a wrong CSRF token", wrongCsrf, expected.open() || route.startsWith("GET "));
            for (String role : ROLES) {
                // a logout ends the session it is sent with: a session of its own, so the walk goes on with the others
                Client session = route.equals("DELETE /api/session") ? logIn(role) : SESSIONS.get(role);
                check(wrong, route, role + " session", session, expected.open() || expected.roles().contains(role));
                check(wrong, route, role + " token", TOKENS.get(role),
                        expected.open() || expected.tokens() && expected.roles().contains(role));
            }
        }
        assertThat(wrong).as("answers that break the role table").isEmpty();
        assertThat(REFUSALS).as("the walk was refused somewhere at all").hasSizeGreaterThan(100);
    }

    /**
     * {@code POST /api/restores} is one route with a destructive variant: over an existing database
     * it needs a fresh second factor, so a token of a role that may restore is refused it.
     * The backup named does not exist: the operation fails without touching the database.
     */
    @Test
    @Order(3)
    void aRestoreOverAnExistingDatabaseIsRefusedToATokenAndToAnOperator() throws Exception {
        String over = "{\"backup\":\"" + NO_SUCH_ID + "\",\"targetDatabase\":\"shop\",\"overExisting\":true}";
        List<String> wrong = new ArrayList<>();
        String route = "POST /api/restores";
        for (String role : List.of(ADMIN, DBA)) {
            expectOver(wrong, role + " token", TOKENS.get(role), over, false);
            expectOver(wrong, role + " session", SESSIONS.get(role), over, true);
        }
        expectOver(wrong, "operator session", SESSIONS.get(OPERATOR), over, false);
        expectOver(wrong, "an expired token", expiredToken, over, false);
        assertThat(wrong).as("answers to " + route + " with overExisting").isEmpty();
    }

    private static void expectOver(List<String> wrong, String who, Client client, String body, boolean allowed) throws Exception {
        Answer answer = client.call("POST", "/api/restores", body);
        boolean refused = answer.status == 401 || answer.status == 403;
        if (refused) {
            REFUSALS.add(new Refusal(client.user == null ? "anonymous" : client.user, "POST /api/restores", answer.status));
        }
        if (answer.status >= 500 || allowed == refused) {
            wrong.add(who + ": " + answer);
        }
    }

    @Test
    @Order(4)
    void everyRefusalIsInTheRepositorysAuditTrailWithUserAndSourceAddress() {
        List<AuditRecord> records;
        try (CellarContext context = context(true)) {
            var trail = context.openRepository().audit().read(0);
            assertThat(trail.intact()).as("the audit chain").isTrue();
            records = trail.records();
        }
        List<AuditRecord> denied = new ArrayList<>(records.stream().filter(r -> r.operation().equals(AuthAuditOperations.DENIED)).toList());
        List<Refusal> missing = new ArrayList<>();
        for (Refusal refusal : REFUSALS) {
            AuditRecord match = denied.stream().filter(r -> r.user().equals(refusal.user()) && r.target().equals(refusal.route())
                    && r.host().equals("127.0.0.1") && r.detail().contains(Integer.toString(refusal.status()))).findFirst().orElse(null);
            if (match == null) {
                missing.add(refusal);
            } else {
                denied.remove(match);
            }
        }
        assertThat(missing).as("refusals not in the audit trail").isEmpty();
        assertThat(WARNINGS).as("the trail could always be written").noneMatch(w -> w.contains("could not record"));
    }

    /**
     * Erasing a person at once is destructive: a dba session with a fresh second factor may, a dba
     * token may not (it only records a request due later), an operator may do neither; the
     * erasure requests are listed to an auditor by keyed hash, never by id.
     */
    @Test
    @Order(5)
    void erasingAPersonAtOnceNeedsADbaSessionWithAFreshSecondFactor() throws Exception {
        String dora = "{\"subject\":\"users:7\",\"reason\":\"ticket 4711\"}";
        assertThat(TOKENS.get(DBA).call("POST", "/api/gdpr/erasures/now", dora).status).isEqualTo(403);
        assertThat(SESSIONS.get(OPERATOR).call("POST", "/api/gdpr/erasures/now", dora).status).isEqualTo(403);
        assertThat(TOKENS.get(OPERATOR).call("POST", "/api/gdpr/erasures", dora).status).isEqualTo(403);
        assertThat(email(7)).isEqualTo("dora@example.com");

        Answer now = SESSIONS.get(DBA).call("POST", "/api/gdpr/erasures/now", dora);
        assertThat(now.status).as(now.toString()).isEqualTo(200);
        assertThat(email(7)).matches("erased-[0-9a-f]{12}@erased\\.invalid");

        Answer later = TOKENS.get(DBA).call("POST", "/api/gdpr/erasures", "{\"subject\":\"users:8\",\"dueDays\":30}");
        assertThat(later.status).as(later.toString()).isEqualTo(200);
        assertThat(email(8)).isEqualTo("ed@example.com");

        Answer listed = TOKENS.get(AUDITOR).call("GET", "/api/gdpr/erasures", null);
        assertThat(listed.status).isEqualTo(200);
        assertThat(listed.json.path("requests").findValuesAsText("state")).containsExactly("applied", "requested");
        assertThat(listed.body).doesNotContain("users:7").doesNotContain("users:8").doesNotContain("dora");
    }

    private static String email(int id) throws Exception {
        try (var c = cluster.connect("shop"); var st = c.createStatement(); var rs = st.executeQuery("SELECT email FROM users WHERE id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }

    // --- the walk --------------------------------------------------------------------------------

    private static void check(List<String> wrong, String route, String who, Client client, boolean allowed) throws Exception {
        String method = route.substring(0, route.indexOf(' '));
        String template = route.substring(route.indexOf(' ') + 1);
        String path = concrete(template, client.user);
        Answer answer = client.call(method, path, method.equals("GET") ? null : "[]");
        int status = answer.status;
        if (status == 401 || status == 403) {
            REFUSALS.add(new Refusal(client.user == null ? "anonymous" : client.user, route, status));
        }
        boolean refused = status == 401 || status == 403;
        if (status >= 500) {
            wrong.add(route + " as " + who + ": " + answer);
        } else if (allowed && refused) {
            wrong.add(route + " as " + who + " should be allowed: " + answer);
        } else if (!allowed && !refused) {
            wrong.add(route + " as " + who + " should be refused: " + answer);
        } else if (!allowed && client.user == null && status != 401) {
            wrong.add(route + " as " + who + " should be 401: " + answer);
        } else if (!allowed && client.user != null && status != 403) {
            wrong.add(route + " as " + who + " should be 403: " + answer);
        }
    }

    /**
     * Path parameters filled so that nothing the rest of the walk needs is changed: a user's own
     * name to enrol a second factor (which stays pending), else a user or id that does not exist.
     */
    private static String concrete(String template, String user) {
        String self = user == null ? NOBODY : user;
        return template.replace("{user}/second-factor", self + "/second-factor").replace("{user}", NOBODY).replace("{id}", NO_SUCH_ID)
                .replace("{kind}", "quarterly");
    }

    // --- users, sessions, codes ------------------------------------------------------------------

    private static String userOf(String role) {
        return role + "-user";
    }

    /** Logs in with the password, enrols TOTP through the API (as a person would), and gives a code: a session of that role. */
    private static Client enrolAndLogIn(String role) throws Exception {
        String user = userOf(role);
        Client client = new Client(user);
        Answer login = client.call("POST", "/api/session", "{\"user\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.status).as(login.toString()).isEqualTo(200);
        Answer enrol = client.call("POST", "/api/users/" + user + "/second-factor", "{}");
        assertThat(enrol.status).as(enrol.toString()).isEqualTo(200);
        SECRETS.put(user, enrol.json.get("secret").asText());
        Answer confirm = client.call("POST", "/api/users/" + user + "/second-factor/confirm", "{\"code\":\"" + nextCode(user) + "\"}");
        assertThat(confirm.status).as(confirm.toString()).isEqualTo(200);
        return logIn(role);
    }

    /** A new session of an enrolled user: password, then a TOTP code. */
    private static Client logIn(String role) throws Exception {
        String user = userOf(role);
        Client client = new Client(user);
        Answer login = client.call("POST", "/api/session", "{\"user\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.status).as(login.toString()).isEqualTo(200);
        assertThat(login.json.get("secondFactorRequired").asBoolean()).isTrue();
        Answer code = client.call("POST", "/api/session/second-factor", "{\"code\":\"" + nextCode(user) + "\"}");
        assertThat(code.status).as(code.toString()).isEqualTo(200);
        return client;
    }

    /** A code the server has not seen for this user: the next 30-second step, the clock moved on when it would be too far ahead. */
    private static String nextCode(String user) {
        long now = SecondFactor.stepAt(CLOCK.instant());
        long step = Math.max(now - 1, LAST_STEP.getOrDefault(user, Long.MIN_VALUE) + 1);
        while (step > SecondFactor.stepAt(CLOCK.instant()) + 1) {
            CLOCK.advance(Duration.ofSeconds(SecondFactor.PERIOD_SECONDS));
        }
        LAST_STEP.put(user, step);
        return PHONE.code(SECRETS.get(user), step);
    }

    private static CellarContext context(boolean readOnly) {
        return CellarContext.open(config, new ContextOptions(readOnly, null, Duration.ofSeconds(30), false, WARNINGS::add, new NeverPrompt(),
                Map.of(), HostClock.system()));
    }

    private static Set<String> documented(JsonNode doc) {
        Set<String> routes = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        return routes;
    }

    // --- the table ---------------------------------------------------------------------------------

    /** @param open anyone may call it, without credentials */
    private record Expected(String route, boolean open, boolean tokens, Set<String> roles) {
    }

    private record Refusal(String user, String route, int status) {
    }

    private static Expected open(String route) {
        return new Expected(route, true, true, Set.copyOf(ROLES));
    }

    private static Expected row(String route, boolean tokens, String... roles) {
        return new Expected(route, false, tokens, Set.of(roles));
    }

    private static Map<String, Expected> table(Expected... rows) {
        Map<String, Expected> table = new LinkedHashMap<>();
        for (Expected row : rows) {
            assertThat(table.put(row.route(), row)).as("one row per route: " + row.route()).isNull();
        }
        return table;
    }

    // --- HTTP --------------------------------------------------------------------------------------

    private record Answer(int status, JsonNode json, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** One caller: a session (cookie and CSRF token), a bearer token, or nothing. */
    private static final class Client {
        final String user;
        String cookie;
        String csrf;
        String bearer;

        Client(String user) {
            this.user = user;
        }

        static Client anonymous() {
            return new Client(null);
        }

        /** @param user the token's user, or null for one whose refusals are recorded as anonymous (expired) */
        static Client bearer(String user, String token) {
            Client client = new Client(user);
            client.bearer = token;
            return client;
        }

        Answer call(String method, String path, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().port() + path))
                    .timeout(Duration.ofSeconds(30))
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
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            } catch (Exception e) {
                json = JSON.nullNode();
            }
            if (bearer == null) {
                response.headers().firstValue("Set-Cookie").ifPresent(set -> {
                    String value = set.substring(set.indexOf('=') + 1, set.indexOf(';'));
                    if (!value.isEmpty()) {
                        cookie = value;
                    }
                });
                if (json.has("csrfToken") && !json.get("csrfToken").isNull() && csrf == null) {
                    csrf = json.get("csrfToken").asText();
                }
            }
            return new Answer(response.statusCode(), json, response.body());
        }
    }
}
