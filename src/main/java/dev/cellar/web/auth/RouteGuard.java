package dev.cellar.web.auth;

import dev.cellar.web.api.ApiRoute;
import io.javalin.http.Context;

/**
 * Lets a request through to a route, or answers it: 401 without valid credentials (none, wrong,
 * expired), 403 when the role lacks the route's permission, the CSRF token is wrong for a
 * session request that changes state, or a destructive route comes without a fresh second
 * factor. Every refusal goes to the audit trail.
 */
@FunctionalInterface
public interface RouteGuard {
    /**
     * @return who is calling; null only for an {@link ApiRoute#open() open} route called without credentials
     * @throws io.javalin.http.HttpResponseException 401 or 403, already audited
     */
    Principal admit(Context ctx, ApiRoute route);
}
