package dev.cellar.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.web.api.ApiRoute;
import dev.cellar.web.auth.AccessFacts.Credentials;
import dev.cellar.web.auth.AccessFacts.RouteKind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    private static final ApiRoute STATUS = new ApiRoute("GET", "/api/status", Permission.READ, false, "status", "status");
    private static final ApiRoute BACKUP = new ApiRoute("POST", "/api/backups", Permission.RUN_BACKUP, false, "backup", "backups");
    private static final ApiRoute GC = new ApiRoute("POST", "/api/gc", Permission.MAINTAIN, true, "gc", "maintenance");
    private static final ApiRoute OPENAPI = new ApiRoute("GET", "/api/openapi.json", null, false, "doc", "meta");
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private final AccessPolicy policy = new AccessPolicy(Duration.ofMinutes(5));

    private static Principal session(Role role) {
        return new Principal("alice", role, Principal.Via.PASSWORD, NOW, "10.0.0.1");
    }

    private static Principal token(Role role) {
        return new Principal("alice", role, Principal.Via.TOKEN, null, "10.0.0.1");
    }

    /** A session of an enrolled user with the right CSRF token and a fresh second factor: everything in order. */
    private static AccessFacts good(ApiRoute route, Principal principal) {
        return new AccessFacts(route, RouteKind.ORDINARY, Credentials.VALID, "", principal, true, false, true, true);
    }

    @Test
    void noCredentialsGet401ExceptOnAnOpenRoute() {
        AccessVerdict verdict = policy.decide(new AccessFacts(STATUS, RouteKind.ORDINARY, Credentials.NONE, "", null, false, false, false, false));
        assertThat(verdict.status()).isEqualTo(401);
        assertThat(verdict.hint()).contains("POST /api/session");
        assertThat(policy.decide(new AccessFacts(OPENAPI, RouteKind.ORDINARY, Credentials.NONE, "", null, false, false, false, false))
                .allowed()).isTrue();
    }

    @Test
    void expiredOrRevokedCredentialsGet401WithTheReason() {
        AccessVerdict verdict = policy.decide(new AccessFacts(STATUS, RouteKind.ORDINARY, Credentials.INVALID,
                "the API token tok_1 expired at 2026-12-01T00:00:00Z", null, false, false, false, false));
        assertThat(verdict.status()).isEqualTo(401);
        assertThat(verdict.reason()).contains("tok_1 expired");
    }

    @Test
    void aRoleWithoutThePermissionGets403() {
        assertThat(policy.decide(good(BACKUP, session(Role.AUDITOR))).status()).isEqualTo(403);
        assertThat(policy.decide(good(BACKUP, session(Role.AUDITOR))).reason()).contains("auditor lacks permission RUN_BACKUP");
        assertThat(policy.decide(good(BACKUP, session(Role.OPERATOR))).allowed()).isTrue();
        assertThat(policy.decide(good(STATUS, session(Role.AUDITOR))).allowed()).isTrue();
    }

    @Test
    void aSessionThatChangesStateNeedsTheCsrfTokenATokenDoesNot() {
        AccessFacts noCsrf = new AccessFacts(BACKUP, RouteKind.ORDINARY, Credentials.VALID, "", session(Role.OPERATOR), false, false, true, true);
        assertThat(policy.decide(noCsrf).status()).isEqualTo(403);
        assertThat(policy.decide(noCsrf).reason()).contains("X-CSRF-Token");
        AccessFacts readNoCsrf = new AccessFacts(STATUS, RouteKind.ORDINARY, Credentials.VALID, "", session(Role.OPERATOR), false, false, true, true);
        assertThat(policy.decide(readNoCsrf).allowed()).as("a GET needs none").isTrue();
        AccessFacts tokenNoCsrf = new AccessFacts(BACKUP, RouteKind.ORDINARY, Credentials.VALID, "", token(Role.OPERATOR), false, false, false, false);
        assertThat(policy.decide(tokenNoCsrf).allowed()).isTrue();
    }

    @Test
    void aSessionWaitingForItsSecondFactorMayOnlyGiveItOrLeave() {
        for (RouteKind kind : RouteKind.values()) {
            AccessFacts pending = new AccessFacts(STATUS, kind, Credentials.VALID, "", session(Role.DBA), true, true, true, false);
            boolean allowed = policy.decide(pending).allowed();
            assertThat(allowed).as(kind.name()).isEqualTo(kind == RouteKind.SECOND_FACTOR || kind == RouteKind.OWN_SESSION);
        }
    }

    @Test
    void aRoleThatChangesStateMustEnrolBeforeAnythingElse() {
        AccessFacts notEnrolled = new AccessFacts(STATUS, RouteKind.ORDINARY, Credentials.VALID, "", session(Role.OPERATOR), true, false, false, false);
        assertThat(policy.decide(notEnrolled).status()).isEqualTo(403);
        assertThat(policy.decide(notEnrolled).hint()).contains("POST /api/users/alice/second-factor");
        AccessFacts enrolling = new AccessFacts(STATUS, RouteKind.ENROLMENT, Credentials.VALID, "", session(Role.OPERATOR), true, false, false, false);
        assertThat(policy.decide(enrolling).allowed()).isTrue();
        AccessFacts auditor = new AccessFacts(STATUS, RouteKind.ORDINARY, Credentials.VALID, "", session(Role.AUDITOR), true, false, false, false);
        assertThat(policy.decide(auditor).allowed()).as("an auditor changes nothing and needs no second factor").isTrue();
        AccessFacts tokenOfUnenrolled = new AccessFacts(BACKUP, RouteKind.ORDINARY, Credentials.VALID, "", token(Role.OPERATOR), false, false, false, false);
        assertThat(policy.decide(tokenOfUnenrolled).allowed()).as("tokens are not interactive").isTrue();
    }

    @Test
    void aDestructiveRouteNeedsAFreshSecondFactorWhichATokenNeverHas() {
        assertThat(policy.decide(good(GC, session(Role.DBA))).allowed()).isTrue();
        AccessFacts stale = new AccessFacts(GC, RouteKind.ORDINARY, Credentials.VALID, "", session(Role.DBA), true, false, true, false);
        assertThat(policy.decide(stale).status()).isEqualTo(403);
        assertThat(policy.decide(stale).hint()).contains("POST /api/session/second-factor again");
        assertThat(policy.decide(stale).reason()).contains("5 minutes");
        AccessFacts byToken = new AccessFacts(GC, RouteKind.ORDINARY, Credentials.VALID, "", token(Role.ADMIN), false, false, false, false);
        assertThat(policy.decide(byToken).status()).isEqualTo(403);
        assertThat(policy.decide(byToken).reason()).contains("API token cannot call a destructive route");
    }

    @Test
    void thePermissionIsCheckedBeforeFreshness() {
        AccessFacts operatorOnGc = good(GC, session(Role.OPERATOR));
        assertThat(policy.decide(operatorOnGc).reason()).contains("lacks permission MAINTAIN");
    }
}
