package dev.cellar.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Who made a request, as the authentication found it.
 *
 * @param user           the user name (for a token: the user it was issued to)
 * @param role           the role the request acts with (a token's own role, never more than its user's)
 * @param via            how the request was authenticated
 * @param secondFactorAt when the session last proved a second factor; null when it never did (tokens never do)
 * @param source         the client's address, as the audit trail records it
 */
public record Principal(String user, Role role, Via via, Instant secondFactorAt, String source) {

    public enum Via { PASSWORD, OIDC, TOKEN }

    public Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(source, "source");
    }

    /** Whether a second factor was proved within {@code freshFor} of now: destructive actions ask for that. */
    public boolean secondFactorFresh(Clock clock, Duration freshFor) {
        return secondFactorAt != null && !secondFactorAt.plus(freshFor).isBefore(clock.instant());
    }

    public boolean allows(Permission permission) {
        return role.allows(permission);
    }
}
