package dev.cellar.web.ui;

import dev.cellar.web.api.ApiRoute;
import dev.cellar.web.auth.Principal;
import dev.cellar.web.auth.Role;
import dev.cellar.web.auth.RouteGuard;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import java.time.Clock;

/**
 * Tests only, until the authentication part is merged: the caller is whoever the cookie
 * {@code test_user=<name>:<role>} says. Refuses as the real guard does (401 without it, 403 without the permission).
 */
final class CookieTestGuard implements RouteGuard {
    static final String COOKIE = "test_user";
    private final Clock clock;

    CookieTestGuard(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Principal admit(Context ctx, ApiRoute route) {
        Principal principal = principal(ctx, clock);
        if (principal == null) {
            throw new UnauthorizedResponse("log in first");
        }
        if (route.permission() != null && !principal.allows(route.permission())) {
            throw new ForbiddenResponse("the role " + principal.role().id() + " may not " + route.summary());
        }
        ctx.attribute("cellar.principal", principal);
        return principal;
    }

    static Principal principal(Context ctx, Clock clock) {
        String value = ctx.cookie(COOKIE);
        if (value == null || !value.contains(":")) {
            return null;
        }
        String[] parts = value.split(":", 2);
        return new Principal(parts[0], Role.of(parts[1]), Principal.Via.PASSWORD, clock.instant(), ctx.ip());
    }
}
