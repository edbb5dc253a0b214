package dev.cellar.web.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.cellar.config.ListenAddress;
import dev.cellar.config.OidcConfig;
import dev.cellar.it.TestFolders;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.server.http.CellarHttpServer;
import dev.cellar.storage.LocalStorage;
import dev.cellar.web.audit.RepositoryWebAuditTrail;
import dev.cellar.web.audit.WebEvent;
import dev.cellar.web.auth.Role;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OIDC login against a real OpenID Connect provider on loopback (mock-oauth2-server, in its
 * non-interactive mode: its authorize endpoint answers at once with a code), driven as a browser
 * would drive it, with the refusals audited in a real repository's trail.
 */
class OidcLoginIT {
    private static final String ISSUER_ID = "cellar";
    private static final String CLIENT_ID = "cellar-dashboard";

    private static MockOAuth2Server provider;
    private static CellarHttpServer cellar;
    private static Repository repository;
    private static OidcClient client;
    private static URI base;
    private static final RecordingSessionStarter sessions = new RecordingSessionStarter();
    private static final List<String> auditWarnings = new ArrayList<>();
    private static final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startProviderAndCellar() throws Exception {
        provider = new MockOAuth2Server(new OAuth2Config());
        provider.start(InetAddress.getLoopbackAddress(), 0);
        repository = Repository.init(new LocalStorage(TestFolders.create("cellar-oidc-it").resolve("repo")),
                RepositorySecret.passphrase("oidc test".toCharArray()), ChunkerParameters.DEFAULT, Clock.systemUTC());
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        base = URI.create("http://127.0.0.1:" + port);
        Map<String, Role> mapping = new LinkedHashMap<>();
        mapping.put("cellar-dba", Role.DBA);
        mapping.put("cellar-auditors", Role.AUDITOR);
        OidcConfig config = new OidcConfig(URI.create(provider.issuerUrl(ISSUER_ID).toString()), CLIENT_ID, null,
                base.resolve(OidcRoutes.CALLBACK), OidcConfig.DEFAULT_USERNAME_CLAIM, OidcConfig.DEFAULT_GROUPS_CLAIM, mapping, false);
        client = new OidcClient(config, "client-secret".toCharArray(), Clock.systemUTC());
        OidcRoutes routes = new OidcRoutes(client, new PendingOidcLogins(Clock.systemUTC(), PendingOidcLogins.DEFAULT_LIFETIME), sessions,
                new RepositoryWebAuditTrail(() -> repository, auditWarnings::add));
        cellar = CellarHttpServer.start(new ListenAddress("127.0.0.1", port), List.of(routes));
    }

    @AfterAll
    static void stop() {
        if (cellar != null) {
            cellar.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    @BeforeEach
    void forgetEarlierSessions() {
        sessions.started.clear();
    }

    @Test
    void aUserInAMappedGroupLogsInWithThatRoleAndLandsOnTheStatusBoard() throws Exception {
        provider.enqueueCallback(tokens("alice", List.of("cellar-auditors", "cellar-dba", "other"), Map.of("amr", List.of("pwd", "otp"))));

        Flow flow = startLogin();
        HttpResponse<String> landed = send(flow.callback(), flow.stateCookie());

        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.body()).contains("http-equiv=\"refresh\" content=\"0;url=/\"");
        assertThat(landed.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("cellar_session=test-alice"));
        assertThat(sessions.started).singleElement().satisfies(identity -> {
            assertThat(identity.user()).isEqualTo("alice");
            assertThat(identity.role()).isEqualTo(Role.DBA);
            assertThat(identity.secondFactorProved()).isTrue();
            assertThat(identity.issuer()).isEqualTo(provider.issuerUrl(ISSUER_ID).toString());
        });
        assertThat(lastAudit()).satisfies(record -> {
            assertThat(record.user()).isEqualTo("alice");
            assertThat(record.host()).isEqualTo("127.0.0.1");
            assertThat(record.operation()).isEqualTo(WebEvent.LOGIN);
            assertThat(record.result()).isEqualTo(WebEvent.OK);
            assertThat(record.detail()).isEqualTo("role dba; via oidc, second factor proved by the provider");
        });
    }

    @Test
    void theLoginSendsTheBrowserToTheProviderWithPkceStateAndNonce() throws Exception {
        HttpResponse<String> login = send(base.resolve(OidcRoutes.LOGIN), null);

        URI authorize = URI.create(login.headers().firstValue("Location").orElseThrow());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(authorize.toString()).startsWith(provider.authorizationEndpointUrl(ISSUER_ID).toString())
                .contains("code_challenge_method=S256", "code_challenge=", "state=", "nonce=", "client_id=" + CLIENT_ID);
        assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith(OidcRoutes.STATE_COOKIE + "=").contains("HttpOnly", "SameSite=Lax", "Path=/auth/oidc").doesNotContain("Secure"));
    }

    @Test
    void aUserInNoMappedGroupIsRefusedAndTheRefusalAudited() throws Exception {
        provider.enqueueCallback(tokens("eve", List.of("guests"), Map.of()));

        Flow flow = startLogin();
        HttpResponse<String> refused = send(flow.callback(), flow.stateCookie());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"error\":\"none of eve's groups [guests] maps to a Cellar role\"", "web.oidc.role-mapping");
        assertThat(sessions.started).isEmpty();
        assertThat(lastAudit()).satisfies(record -> {
            assertThat(record.user()).isEqualTo("eve");
            assertThat(record.operation()).isEqualTo(WebEvent.LOGIN);
            assertThat(record.result()).isEqualTo(WebEvent.DENIED);
            assertThat(record.detail()).isEqualTo("via oidc: none of eve's groups [guests] maps to a Cellar role");
        });
    }

    @Test
    void aCallbackWhoseStateIsNotTheBrowsersIsRefused() throws Exception {
        // no token answer is queued: a refused state never reaches the token endpoint
        Flow flow = startLogin();
        URI forged = URI.create(flow.callback().toString().replaceFirst("state=[^&]+", "state=forged-state"));

        HttpResponse<String> refused = send(forged, flow.stateCookie());
        HttpResponse<String> withoutCookie = send(flow.callback(), null);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("the login's state does not match the one this browser started");
        assertThat(withoutCookie.statusCode()).isEqualTo(403);
        assertThat(sessions.started).isEmpty();
        assertThat(lastAudit()).satisfies(record -> {
            assertThat(record.user()).isEqualTo(WebEvent.ANONYMOUS);
            assertThat(record.result()).isEqualTo(WebEvent.DENIED);
            assertThat(record.detail()).contains("state does not match");
        });
    }

    @Test
    void anIdTokenForAnotherAudienceIsRefused() throws Exception {
        provider.enqueueCallback(tokens("alice", List.of("cellar-dba"), Map.of("aud", List.of("some-other-client"))));

        Flow flow = startLogin();
        HttpResponse<String> refused = send(flow.callback(), flow.stateCookie());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("the provider's ID token was refused", "Unexpected JWT audience");
        assertThat(sessions.started).isEmpty();
        assertThat(lastAudit().result()).isEqualTo(WebEvent.DENIED);
    }

    @Test
    void anIdTokenFromAnotherIssuerIsRefused() throws Exception {
        provider.enqueueCallback(tokens("alice", List.of("cellar-dba"), Map.of("iss", "http://127.0.0.1:1/not-the-provider")));

        Flow flow = startLogin();
        HttpResponse<String> refused = send(flow.callback(), flow.stateCookie());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("the provider's ID token was refused", "Unexpected JWT issuer");
        assertThat(sessions.started).isEmpty();
    }

    @Test
    void anIdTokenSignedForAnotherIssuerOfTheSameProviderIsRefused() {
        SignedJWT foreign = provider.issueToken("another-realm", "alice", new DefaultOAuth2TokenCallback("another-realm", "alice", "JWT",
                List.of(CLIENT_ID), Map.of("preferred_username", "alice", "groups", List.of("cellar-dba"), "nonce", "n-1"), 3600L));

        assertThatThrownBy(() -> client.identity(foreign, "n-1")).isInstanceOf(OidcLoginRefused.class)
                .hasMessageStartingWith("the provider's ID token was refused");
    }

    @Test
    void aProviderThatCannotBeReachedRefusesTheLoginNamingTheDiscoveryUrl() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        OidcConfig unreachable = new OidcConfig(URI.create("http://127.0.0.1:" + closed + "/realms/ops"), CLIENT_ID, null,
                base.resolve(OidcRoutes.CALLBACK), "preferred_username", "groups", Map.of("g", Role.DBA), false);

        assertThatThrownBy(() -> new OidcClient(unreachable, null, Clock.systemUTC()).begin()).isInstanceOf(OidcLoginRefused.class)
                .hasMessageStartingWith("cannot read the OIDC provider's discovery document at http://127.0.0.1:" + closed
                        + "/realms/ops/.well-known/openid-configuration");
    }

    @Test
    void withoutAnIssuerThereAreNoOidcRoutes() {
        assertThat(OidcRoutes.configured(OidcConfig.disabled(), Map.of(), Clock.systemUTC(), sessions, event -> { })).isEmpty();
    }

    /** The token answer for the next login: the user, their groups and any other claims. */
    private static DefaultOAuth2TokenCallback tokens(String user, List<String> groups, Map<String, Object> more) {
        Map<String, Object> claims = new LinkedHashMap<>(Map.of("preferred_username", user, "groups", groups));
        claims.putAll(more);
        return new DefaultOAuth2TokenCallback(ISSUER_ID, "subject-" + user, "JWT", null, claims, 3600L);
    }

    /** The callback URL the provider sent the browser back to, and the state cookie Cellar set when the login began. */
    private record Flow(URI callback, String stateCookie) {
    }

    private static Flow startLogin() throws Exception {
        HttpResponse<String> login = send(base.resolve(OidcRoutes.LOGIN), null);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> atProvider = send(URI.create(login.headers().firstValue("Location").orElseThrow()), null);
        assertThat(atProvider.statusCode()).as("the provider answers with a redirect: " + atProvider.body()).isEqualTo(302);
        URI callback = URI.create(atProvider.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getPath()).isEqualTo(OidcRoutes.CALLBACK);
        return new Flow(callback, cookie);
    }

    private static HttpResponse<String> send(URI uri, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static AuditRecord lastAudit() {
        assertThat(auditWarnings).isEmpty();
        List<AuditRecord> records = repository.audit().read(0).records();
        return records.get(records.size() - 1);
    }
}
