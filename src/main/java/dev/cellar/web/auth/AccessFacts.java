package dev.cellar.web.auth;

import dev.cellar.web.api.ApiRoute;
import java.util.Objects;

/**
 * What the guard found about one request, as plain data: {@link AccessPolicy} decides on it alone.
 *
 * @param route                the route asked for
 * @param kind                 what the route is to the second-factor rules
 * @param credentials          whether the request carried credentials and whether they held
 * @param credentialProblem    why credentials were refused ("the API token tok_1 expired ..."), or empty
 * @param principal            who the credentials name (null unless {@link Credentials#VALID})
 * @param csrfMatches          for a session: whether X-CSRF-Token equals the session's token
 * @param secondFactorPending  for a session: whether it still waits for the login's second factor
 * @param secondFactorEnrolled for a session: whether its user has enrolled a second factor
 * @param secondFactorFresh    whether a second factor was proved within the configured minutes
 */
public record AccessFacts(ApiRoute route, RouteKind kind, Credentials credentials, String credentialProblem, Principal principal,
        boolean csrfMatches, boolean secondFactorPending, boolean secondFactorEnrolled, boolean secondFactorFresh) {

    public enum Credentials { NONE, INVALID, VALID }

    /** Routes the second-factor rules treat apart. */
    public enum RouteKind {
        ORDINARY,
        /** {@code POST /api/session/second-factor}: the one thing a session waiting for its code may do */
        SECOND_FACTOR,
        /** enrolment and its confirmation: what a user who must enrol may still do */
        ENROLMENT,
        /** {@code GET} and {@code DELETE /api/session}: who am I, and logout, allowed in every state */
        OWN_SESSION
    }

    public AccessFacts {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(credentials, "credentials");
        credentialProblem = credentialProblem == null ? "" : credentialProblem;
        if (credentials == Credentials.VALID) {
            Objects.requireNonNull(principal, "principal");
        }
    }

    public boolean viaSession() {
        return principal != null && principal.via() != Principal.Via.TOKEN;
    }
}
