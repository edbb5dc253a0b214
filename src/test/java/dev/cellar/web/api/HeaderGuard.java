package dev.cellar.web.api;

import dev.cellar.web.audit.WebAuditTrail;
import dev.cellar.web.audit.WebEvent;
import dev.cellar.web.auth.Principal;
import dev.cellar.web.auth.Role;
import dev.cellar.web.auth.RouteGuard;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A test guard that makes the auth part's decisions without its secrets: the caller is whoever
 * the {@code X-Test-User} and {@code X-Test-Role} headers say ({@code X-Test-Second-Factor-Age}
 * in seconds says when they last gave a second factor); 401 without them, 403 when the role lacks
 * the route's permission or a destructive route comes without a fresh second factor. Refusals
 * are audited, as the real guard's are.
 */
final class HeaderGuard implements RouteGuard {
    static final Duration FRESH_FOR = Duration.ofMinutes(5);

    private final Clock clock;
    private final WebAuditTrail audit;

    HeaderGuard(Clock clock, WebAuditTrail audit) {
        this.clock = clock;
        this.audit = audit;
    }

    @Override
    public Principal admit(Context ctx, ApiRoute route) {
        String user = ctx.header("X-Test-User");
        String role = ctx.header("X-Test-Role");
        if (user == null || role == null) {
            if (route.open()) {
                return null;
            }
            throw refuse(ctx, route, null, 401, "this request needs credentials");
        }
        String age = ctx.header("X-Test-Second-Factor-Age");
        Instant secondFactorAt = age == null ? null : clock.instant().minusSeconds(Long.parseLong(age));
        Principal principal = new Principal(user, Role.of(role), Principal.Via.PASSWORD, secondFactorAt, ctx.ip());
        if (route.permission() != null && !principal.allows(route.permission())) {
            throw refuse(ctx, route, principal, 403, "role " + role + " may not " + route);
        }
        if (route.destructive() && !principal.secondFactorFresh(clock, FRESH_FOR)) {
            throw refuse(ctx, route, principal, 403, route + " needs a fresh second factor");
        }
        return principal;
    }

    private HttpResponseException refuse(Context ctx, ApiRoute route, Principal principal, int status, String why) {
        audit.record(new WebEvent(principal == null ? null : principal.user(), principal == null ? "" : principal.role().id(), ctx.ip(),
                "web.denied", route.toString(), WebEvent.DENIED, status + " " + why));
        return new HttpResponseException(status, why, Map.of("hint", "send X-Test-User and X-Test-Role"));
    }
}
