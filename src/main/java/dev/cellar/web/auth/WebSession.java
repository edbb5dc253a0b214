package dev.cellar.web.auth;

import java.time.Instant;

/**
 * A dashboard session as the catalog holds it (its id only as a hash).
 *
 * @param secondFactorAt      when it last proved a second factor, or null
 * @param secondFactorPending whether it still waits for the second factor of a login
 */
public record WebSession(String idHash, String user, Role role, Principal.Via via, Instant created, Instant lastSeen, Instant expires,
        Instant secondFactorAt, boolean secondFactorPending, String csrfToken) {

    public Principal principal(String source) {
        return new Principal(user, role, via, secondFactorAt, source);
    }

    @Override
    public String toString() {
        return "WebSession[" + user + ", " + role.id() + ", " + via + "]";
    }
}
