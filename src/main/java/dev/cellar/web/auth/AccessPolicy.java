package dev.cellar.web.auth;

import java.time.Duration;

/**
 * Who may call which route: the guard's whole decision, a pure function over {@link AccessFacts}.
 * The checks run from "who are you" to "may you do this now": credentials (401), then for a
 * session the CSRF token, the login's pending second factor, and enrolment of a second factor by
 * anyone who can change state; then the role's permission; last, for a destructive route, a
 * second factor proved within the last minutes (which a token never has).
 */
public final class AccessPolicy {
    private final Duration secondFactorFresh;

    public AccessPolicy(Duration secondFactorFresh) {
        this.secondFactorFresh = secondFactorFresh;
    }

    public AccessVerdict decide(AccessFacts facts) {
        var route = facts.route();
        if (facts.credentials() != AccessFacts.Credentials.VALID) {
            if (route.open()) {
                return AccessVerdict.ALLOW;
            }
            return facts.credentials() == AccessFacts.Credentials.NONE
                    ? AccessVerdict.unauthorized("no credentials", "log in (POST /api/session) or send 'Authorization: Bearer cellar_...'")
                    : AccessVerdict.unauthorized(facts.credentialProblem(),
                            "log in again (POST /api/session), or ask an admin for a new API token (cellar token create)");
        }
        if (facts.viaSession() && route.changesState() && !facts.csrfMatches() && !route.open()) {
            return AccessVerdict.forbidden("missing or wrong X-CSRF-Token for a session request that changes state",
                    "send the header X-CSRF-Token with the csrfToken of GET /api/session");
        }
        if (facts.viaSession() && facts.secondFactorPending() && facts.kind() != AccessFacts.RouteKind.SECOND_FACTOR
                && facts.kind() != AccessFacts.RouteKind.OWN_SESSION) {
            return AccessVerdict.forbidden("the session waits for its second factor",
                    "POST /api/session/second-factor with the code of your authenticator app (or a recovery code)");
        }
        var principal = facts.principal();
        if (facts.viaSession() && principal.role().changesState() && !facts.secondFactorEnrolled()
                && facts.kind() != AccessFacts.RouteKind.ENROLMENT && facts.kind() != AccessFacts.RouteKind.OWN_SESSION) {
            return AccessVerdict.forbidden("role " + principal.role().id() + " can change state and " + principal.user()
                            + " has no second factor yet",
                    "enrol one: POST /api/users/" + principal.user() + "/second-factor, then .../second-factor/confirm with a code");
        }
        if (!route.open() && !principal.allows(route.permission())) {
            return AccessVerdict.forbidden("role " + principal.role().id() + " lacks permission " + route.permission(),
                    "ask an admin for a role that holds " + route.permission() + " (docs/web-security.md lists them)");
        }
        if (route.destructive()) {
            if (!facts.viaSession()) {
                return AccessVerdict.forbidden("an API token cannot call a destructive route: it never proves a second factor",
                        "do this from a dashboard session after POST /api/session/second-factor");
            }
            if (!facts.secondFactorFresh()) {
                return AccessVerdict.forbidden("a destructive action needs a second factor proved within the last "
                                + secondFactorFresh.toMinutes() + " minutes",
                        "POST /api/session/second-factor again with a fresh code, then repeat the request");
            }
        }
        return AccessVerdict.ALLOW;
    }
}
