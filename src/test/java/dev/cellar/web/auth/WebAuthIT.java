package dev.cellar.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.ListenAddress;
import dev.cellar.config.WebAuthConfig;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.server.catalog.TestCatalogs;
import dev.cellar.server.http.CellarHttpServer;
import dev.cellar.server.http.HttpRoutes;
import dev.cellar.storage.LocalStorage;
import dev.cellar.web.api.ApiRoute;
import dev.cellar.web.audit.RepositoryWebAuditTrail;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The auth routes and the guard on a real Javalin server, a real catalog on PostgreSQL and a real
 * repository's audit trail: logins, lock-out, rate limit, TOTP enrolment and login, recovery
 * codes, CSRF, tokens, and destructive routes with stale and fresh second factors; every
 * refusal the client saw is in the trail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAuthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = dev.cellar.secrets.KnownSecrets.register("a long enough passphrase");
    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static final List<String> TRAIL_WARNINGS = new CopyOnWriteArrayList<>();
    /** Refusals by the guard (web.denied) and failed logins (web.login failed) this test saw over HTTP. */
    private static final AtomicInteger DENIED_SEEN = new AtomicInteger();
    private static final AtomicInteger LOGIN_FAILURES_SEEN = new AtomicInteger();

    private static LocalCluster cluster;
    private static Repository repository;
    private static WebAuth auth;
    private static CellarHttpServer server;
    private static HttpClient http;
    private static final SecondFactor PHONE = new SecondFactor(CLOCK, new SecureRandom());
    private static final Map<String, String> SECRETS = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path folder = TestFolders.create("cellar-web-auth-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-web-auth-it-pg"));
        var catalog = TestCatalogs.migrated(cluster, "catalog");
        repository = Repository.init(new LocalStorage(folder.resolve("repo")), RepositorySecret.passphrase("web auth it".toCharArray()),
                ChunkerParameters.DEFAULT, Clock.systemUTC());
        WebAuthConfig config = new WebAuthConfig(Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(12), 12, 3,
                Duration.ofMinutes(15));
        auth = WebAuth.on(catalog, new RepositoryWebAuditTrail(() -> repository, TRAIL_WARNINGS::add), CLOCK, config, 1000,
                new Argon2idPasswords(new Argon2idPasswords.Cost(4096, 1, 1), new SecureRandom()));
        server = CellarHttpServer.start(new ListenAddress("127.0.0.1", 0), List.of(auth.routes(), new PermissionRoutes(auth.guard())));
        http = HttpClient.newHttpClient();
        auth.users().add("auditor1", Role.AUDITOR, PASSWORD.toCharArray());
        auth.users().add("operator1", Role.OPERATOR, PASSWORD.toCharArray());
        enrolled("dba1", Role.DBA);
        enrolled("admin1", Role.ADMIN);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void newMinute() {
        // a fresh window of the login throttle, and a fresh TOTP step, for each test
        CLOCK.advance(Duration.ofMinutes(2));
    }

    @Test
    @Order(1)
    void aPasswordLoginGivesASessionCookieThatLogoutEnds() throws Exception {
        Browser browser = new Browser();
        Answer login = browser.call("POST", "/api/session", "{\"user\":\"auditor1\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.status).as(login.toString()).isEqualTo(200);
        assertThat(login.body.get("role").asText()).isEqualTo("auditor");
        assertThat(login.body.get("secondFactorRequired").asBoolean()).isFalse();
        String cookie = login.response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("cellar_session=").contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");

        Answer me = browser.call("GET", "/api/session", null);
        assertThat(me.status).isEqualTo(200);
        assertThat(me.body.get("user").asText()).isEqualTo("auditor1");
        assertThat(me.body.get("via").asText()).isEqualTo("password");
        assertThat(me.body.get("csrfToken").asText()).isEqualTo(login.body.get("csrfToken").asText());
        assertThat(browser.call("GET", "/test/read_audit", null).status).isEqualTo(200);
        Answer backup = browser.call("POST", "/test/run_backup", "{}");
        assertThat(backup.status).isEqualTo(403);
        assertThat(backup.body.get("error").asText()).contains("auditor lacks permission RUN_BACKUP");
        assertThat(backup.body.get("hint").asText()).isNotEmpty();
        assertThat(backup.body.get("status").asInt()).isEqualTo(403);

        assertThat(browser.call("DELETE", "/api/session", null).status).isEqualTo(204);
        assertThat(browser.call("GET", "/api/session", null).status).isEqualTo(401);
        assertThat(new Browser().call("GET", "/test/read", null).status).as("no credentials").isEqualTo(401);
    }

    @Test
    @Order(2)
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        Answer wrongPassword = new Browser().call("POST", "/api/session", "{\"user\":\"auditor1\",\"password\":\"not the password\"}");
        Answer unknownUser = new Browser().call("POST", "/api/session", "{\"user\":\"nobody\",\"password\":\"not the password\"}");
        assertThat(wrongPassword.status).isEqualTo(401);
        assertThat(unknownUser.status).isEqualTo(401);
        assertThat(wrongPassword.body).isEqualTo(unknownUser.body);
        assertThat(wrongPassword.response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    @Order(3)
    void failuresInARowLockTheUserOutUntilAnAdminUnlocks() throws Exception {
        auth.users().add("locky", Role.AUDITOR, PASSWORD.toCharArray());
        for (int i = 0; i < 3; i++) {
            assertThat(new Browser().call("POST", "/api/session", "{\"user\":\"locky\",\"password\":\"guess number " + i + "\"}").status)
                    .isEqualTo(401);
        }
        Answer locked = new Browser().call("POST", "/api/session", "{\"user\":\"locky\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(locked.status).as("even the right password").isEqualTo(423);
        assertThat(locked.body.get("hint").asText()).contains("cellar user unlock locky");
        auth.users().unlock("locky");
        assertThat(new Browser().call("POST", "/api/session", "{\"user\":\"locky\",\"password\":\"" + PASSWORD + "\"}").status).isEqualTo(200);
    }

    @Test
    @Order(4)
    void tooManyAttemptsFromOneSourceGet429() throws Exception {
        for (int i = 0; i < 12; i++) {
            assertThat(new Browser().call("POST", "/api/session", "{\"user\":\"someone" + i + "\",\"password\":\"x\"}").status).isEqualTo(401);
        }
        Answer limited = new Browser().call("POST", "/api/session", "{\"user\":\"auditor1\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(limited.status).isEqualTo(429);
        assertThat(limited.response.headers().firstValue("Retry-After")).isPresent();
        CLOCK.advance(Duration.ofMinutes(1));
        assertThat(new Browser().call("POST", "/api/session", "{\"user\":\"auditor1\",\"password\":\"" + PASSWORD + "\"}").status).isEqualTo(200);
    }

    @Test
    @Order(5)
    void anOperatorEnrolsTotpThenLogsInWithACodeThatWorksOnce() throws Exception {
        Browser browser = new Browser();
        Answer login = browser.login("operator1");
        assertThat(login.body.get("secondFactorRequired").asBoolean()).isFalse();
        assertThat(login.body.get("secondFactorEnrolmentRequired").asBoolean()).isTrue();
        Answer blocked = browser.call("GET", "/test/read", null);
        assertThat(blocked.status).isEqualTo(403);
        assertThat(blocked.body.get("hint").asText()).contains("/api/users/operator1/second-factor");
        assertThat(browser.call("POST", "/api/users/dba1/second-factor", "{}").status).as("not someone else's").isEqualTo(403);

        Answer enrol = browser.call("POST", "/api/users/operator1/second-factor", "{}");
        assertThat(enrol.status).as(enrol.toString()).isEqualTo(200);
        String secret = enrol.body.get("secret").asText();
        assertThat(enrol.body.get("otpauthUri").asText()).contains("secret=" + secret);
        List<String> recovery = new ArrayList<>();
        enrol.body.get("recoveryCodes").forEach(c -> recovery.add(c.asText()));
        assertThat(recovery).hasSize(10);
        assertThat(browser.call("POST", "/api/users/operator1/second-factor/confirm", "{\"code\":\"000000\"}").status).isEqualTo(400);
        String code = PHONE.code(secret, SecondFactor.stepAt(CLOCK.instant()));
        Answer confirmed = browser.call("POST", "/api/users/operator1/second-factor/confirm", "{\"code\":\"" + code + "\"}");
        assertThat(confirmed.status).as(confirmed.toString()).isEqualTo(200);
        assertThat(browser.call("GET", "/test/read", null).status).isEqualTo(200);
        assertThat(browser.call("POST", "/test/run_backup", "{}").status).isEqualTo(200);

        Browser next = new Browser();
        assertThat(next.login("operator1").body.get("secondFactorRequired").asBoolean()).isTrue();
        Answer pending = next.call("GET", "/test/read", null);
        assertThat(pending.status).isEqualTo(403);
        assertThat(pending.body.get("error").asText()).contains("waits for its second factor");
        Answer replay = next.call("POST", "/api/session/second-factor", "{\"code\":\"" + code + "\"}");
        assertThat(replay.status).as("the code used to confirm").isEqualTo(401);
        CLOCK.advance(Duration.ofSeconds(30));
        String fresh = PHONE.code(secret, SecondFactor.stepAt(CLOCK.instant()));
        assertThat(next.call("POST", "/api/session/second-factor", "{\"code\":\"" + fresh + "\"}").status).isEqualTo(200);
        assertThat(next.call("GET", "/test/read", null).status).isEqualTo(200);

        Browser third = new Browser();
        third.login("operator1");
        assertThat(third.call("POST", "/api/session/second-factor", "{\"code\":\"" + fresh + "\"}").status).as("replayed").isEqualTo(401);
        Answer byRecovery = third.call("POST", "/api/session/second-factor", "{\"code\":\"" + recovery.get(3).toUpperCase(Locale.ROOT) + "\"}");
        assertThat(byRecovery.status).isEqualTo(200);
        assertThat(byRecovery.body.get("recoveryCodesLeft").asInt()).isEqualTo(9);
        Browser fourth = new Browser();
        fourth.login("operator1");
        assertThat(fourth.call("POST", "/api/session/second-factor", "{\"code\":\"" + recovery.get(3) + "\"}").status)
                .as("a recovery code works once").isEqualTo(401);
    }

    @Test
    @Order(6)
    void aSessionRequestThatChangesStateNeedsTheRightCsrfToken() throws Exception {
        Browser browser = new Browser();
        browser.loginWithCode("dba1");
        String right = browser.csrf;
        browser.csrf = null;
        Answer missing = browser.call("POST", "/test/run_backup", "{}");
        assertThat(missing.status).isEqualTo(403);
        assertThat(missing.body.get("error").asText()).contains("X-CSRF-Token");
        browser.csrf = "not-the-token";
        assertThat(browser.call("POST", "/test/run_backup", "{}").status).isEqualTo(403);
        assertThat(browser.call("GET", "/test/read", null).status).as("reads need none").isEqualTo(200);
        browser.csrf = right;
        assertThat(browser.call("POST", "/test/run_backup", "{}").status).isEqualTo(200);
    }

    @Test
    @Order(7)
    void aTokenWorksWithoutCsrfUntilItExpiresOrIsRevokedAndNeverOnADestructiveRoute() throws Exception {
        Browser browser = new Browser();
        browser.loginWithCode("dba1");
        Answer tooHigh = browser.call("POST", "/api/tokens", "{\"name\":\"ci\",\"role\":\"admin\",\"expiresInDays\":7}");
        assertThat(tooHigh.status).isEqualTo(400);
        assertThat(tooHigh.body.get("error").asText()).contains("cannot have role admin");
        Answer created = browser.call("POST", "/api/tokens", "{\"name\":\"ci\",\"role\":\"operator\",\"expiresInDays\":7}");
        assertThat(created.status).as(created.toString()).isEqualTo(201);
        String token = created.body.get("token").asText();
        assertThat(token).startsWith("cellar_").hasSize(7 + 43);

        Browser script = new Browser();
        script.bearer = token;
        assertThat(script.call("POST", "/test/run_backup", "{}").status).isEqualTo(200);
        assertThat(script.call("GET", "/test/read_audit", null).status).as("operator has no READ_AUDIT").isEqualTo(403);
        Browser maintenance = new Browser();
        maintenance.bearer = auth.tokens().create("dba1", "maintenance", Role.DBA, 1).token();
        Answer destructive = maintenance.call("POST", "/test/destructive", "{}");
        assertThat(destructive.status).isEqualTo(403);
        assertThat(destructive.body.get("error").asText()).contains("API token cannot call a destructive route");
        assertThat(script.call("GET", "/api/tokens", null).body.findValuesAsText("name")).contains("ci", "maintenance");

        IssuedToken shortLived = auth.tokens().create("dba1", "nightly", Role.AUDITOR, 1);
        Browser expired = new Browser();
        expired.bearer = shortLived.token();
        assertThat(expired.call("GET", "/test/read", null).status).isEqualTo(200);
        CLOCK.advance(Duration.ofDays(2));
        Answer late = expired.call("GET", "/test/read", null);
        assertThat(late.status).isEqualTo(401);
        assertThat(late.body.get("error").asText()).contains("expired");

        auth.tokens().revoke(created.body.get("id").asText());
        Answer revoked = script.call("POST", "/test/run_backup", "{}");
        assertThat(revoked.status).isEqualTo(401);
        assertThat(revoked.body.get("error").asText()).contains("revoked");
        Browser forged = new Browser();
        forged.bearer = "cellar_" + "A".repeat(43);
        assertThat(forged.call("GET", "/test/read", null).status).isEqualTo(401);
    }

    @Test
    @Order(8)
    void aDestructiveRouteNeedsASecondFactorOfTheLastFiveMinutes() throws Exception {
        Browser browser = new Browser();
        browser.loginWithCode("dba1");
        assertThat(browser.call("POST", "/test/destructive", "{}").status).isEqualTo(200);
        CLOCK.advance(Duration.ofMinutes(6));
        Answer stale = browser.call("POST", "/test/destructive", "{}");
        assertThat(stale.status).isEqualTo(403);
        assertThat(stale.body.get("hint").asText()).contains("POST /api/session/second-factor again");
        browser.giveCode("dba1");
        assertThat(browser.call("POST", "/test/destructive", "{}").status).isEqualTo(200);
        assertThat(browser.call("GET", "/api/session", null).body.get("secondFactorAt").isNull()).isFalse();
    }

    @Test
    @Order(9)
    void anAdminManagesUsersAndOnlyAnAdmin() throws Exception {
        Browser admin = new Browser();
        admin.loginWithCode("admin1");
        Answer added = admin.call("POST", "/api/users", "{\"user\":\"newbie\",\"password\":\"" + PASSWORD + "\",\"role\":\"operator\"}");
        assertThat(added.status).as(added.toString()).isEqualTo(201);
        assertThat(admin.call("POST", "/api/users", "{\"user\":\"weak\",\"password\":\"short\",\"role\":\"operator\"}").status).isEqualTo(400);
        assertThat(admin.call("PATCH", "/api/users/newbie", "{\"role\":\"auditor\"}").body.get("role").asText()).isEqualTo("auditor");
        Answer users = admin.call("GET", "/api/users", null);
        assertThat(users.body.findValuesAsText("user")).contains("admin1", "dba1", "newbie");
        assertThat(users.toString()).doesNotContain("argon2id");
        assertThat(admin.call("DELETE", "/api/users/admin1", null).status).as("not yourself").isEqualTo(403);
        assertThat(admin.call("DELETE", "/api/users/newbie", null).status).isEqualTo(204);
        Browser dba = new Browser();
        dba.loginWithCode("dba1");
        assertThat(dba.call("GET", "/api/users", null).status).isEqualTo(403);
    }

    @Test
    @Order(10)
    void everyRefusalAndEveryLoginIsInTheRepositorysAuditTrail() {
        List<AuditRecord> records = repository.audit().read(0).records();
        List<AuditRecord> denied = records.stream().filter(r -> r.operation().equals(AuthAuditOperations.DENIED)).toList();
        List<AuditRecord> failedLogins = records.stream()
                .filter(r -> r.operation().equals(AuthAuditOperations.LOGIN) && r.result().equals("failed")).toList();
        assertThat(TRAIL_WARNINGS).isEmpty();
        assertThat(denied).hasSize(DENIED_SEEN.get());
        assertThat(failedLogins).hasSize(LOGIN_FAILURES_SEEN.get());
        assertThat(denied).anySatisfy(r -> {
            assertThat(r.user()).isEqualTo("anonymous");
            assertThat(r.host()).isEqualTo("127.0.0.1");
            assertThat(r.detail()).startsWith("401 no credentials");
        });
        assertThat(denied).anySatisfy(r -> {
            assertThat(r.user()).isEqualTo("dba1");
            assertThat(r.target()).isEqualTo("POST /test/destructive");
            assertThat(r.detail()).contains("403 a destructive action needs a second factor");
        });
        assertThat(denied).anySatisfy(r -> assertThat(r.detail()).contains("X-CSRF-Token"));
        assertThat(denied).anySatisfy(r -> assertThat(r.detail()).contains("401 the API token").contains("revoked"));
        assertThat(failedLogins).anySatisfy(r -> assertThat(r.detail()).startsWith("423"));
        assertThat(failedLogins).anySatisfy(r -> assertThat(r.detail()).startsWith("429"));
        assertThat(records).anySatisfy(r -> {
            assertThat(r.operation()).isEqualTo(AuthAuditOperations.LOGIN);
            assertThat(r.result()).isEqualTo("ok");
            assertThat(r.detail()).contains("second factor (recovery code)");
        });
        assertThat(records).anySatisfy(r -> assertThat(r.operation()).isEqualTo("api DELETE /api/users/{user}"));
        assertThat(repository.audit().read(0).intact()).isTrue();
    }

    // --- helpers -------------------------------------------------------------------------------

    private static String enrolled(String name, Role role) {
        auth.users().add(name, role, PASSWORD.toCharArray());
        String secret = PHONE.newSecret();
        auth.users().beginEnrolment(name, secret, List.of());
        auth.users().confirmEnrolment(name, 0);
        SECRETS.put(name, secret);
        return secret;
    }

    private record Answer(int status, JsonNode body, HttpResponse<String> response) {
        @Override
        public String toString() {
            return status + " " + response.body();
        }
    }

    /** One client with its own cookie, CSRF token or bearer token. */
    private static final class Browser {
        String cookie;
        String csrf;
        String bearer;

        Answer login(String user) throws Exception {
            Answer login = call("POST", "/api/session", "{\"user\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
            assertThat(login.status).as(login.toString()).isEqualTo(200);
            return login;
        }

        void loginWithCode(String user) throws Exception {
            login(user);
            giveCode(user);
        }

        void giveCode(String user) throws Exception {
            CLOCK.advance(Duration.ofSeconds(30));
            String code = PHONE.code(SECRETS.get(user), SecondFactor.stepAt(CLOCK.instant()));
            Answer answer = call("POST", "/api/session/second-factor", "{\"code\":\"" + code + "\"}");
            assertThat(answer.status).as(answer.toString()).isEqualTo(200);
        }

        Answer call(String method, String path, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().port() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json");
            if (cookie != null) {
                request.header("Cookie", "cellar_session=" + cookie);
            }
            if (csrf != null) {
                request.header(WebGuard.CSRF_HEADER, csrf);
            }
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            response.headers().firstValue("Set-Cookie").ifPresent(set -> cookie = set.substring(set.indexOf('=') + 1, set.indexOf(';')));
            if (json.has("csrfToken") && !json.get("csrfToken").isNull()) {
                csrf = json.get("csrfToken").asText();
            }
            count(method, path, response.statusCode(), json);
            return new Answer(response.statusCode(), json, response);
        }

        private static void count(String method, String path, int status, JsonNode json) {
            boolean loginRoute = method.equals("POST") && path.equals("/api/session");
            boolean codeRoute = method.equals("POST") && path.equals("/api/session/second-factor");
            String error = json.path("error").asText("");
            if (loginRoute && status >= 400) {
                LOGIN_FAILURES_SEEN.incrementAndGet();
            } else if (codeRoute && error.startsWith("wrong or already used")) {
                LOGIN_FAILURES_SEEN.incrementAndGet();
            } else if (status == 401 || status == 403) {
                DENIED_SEEN.incrementAndGet();
            }
        }
    }

    /** One route per permission, and one destructive: what the guard is tested on. */
    private record PermissionRoutes(WebGuard guard) implements HttpRoutes {
        @Override
        public void addTo(io.javalin.config.RoutesConfig routes) {
            for (var permission : Permission.values()) {
                boolean reads = permission == Permission.READ || permission == Permission.READ_AUDIT;
                ApiRoute route = new ApiRoute(reads ? "GET" : "POST", "/test/" + permission.name().toLowerCase(Locale.ROOT), permission,
                        false, "test", "test");
                add(routes, route);
            }
            add(routes, new ApiRoute("POST", "/test/destructive", Permission.MAINTAIN, true, "test", "test"));
        }

        private void add(io.javalin.config.RoutesConfig routes, ApiRoute route) {
            io.javalin.http.Handler handler = ctx -> {
                try {
                    Principal principal = guard.admit(ctx, route);
                    assertThat((Principal) ctx.attribute(WebGuard.PRINCIPAL_ATTRIBUTE)).isEqualTo(principal);
                    ctx.contentType("application/json").result("{\"user\":\"" + principal.user() + "\"}");
                } catch (HttpResponseException e) {
                    WebErrors.answer(ctx, e);
                }
            };
            if (route.method().equals("GET")) {
                routes.get(route.path(), handler);
            } else {
                routes.post(route.path(), handler);
            }
        }
    }
}
