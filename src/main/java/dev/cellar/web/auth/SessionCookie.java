package dev.cellar.web.auth;

import io.javalin.http.Context;

/** The {@code cellar_session} cookie, set the same way by a password login and an OIDC login. */
public final class SessionCookie {
    private SessionCookie() {
    }

    /**
     * Sets (or, with an empty value and age 0, clears) the session cookie: HttpOnly so no script
     * reads it, SameSite=Strict so no other site's page sends it, Secure when the request came over HTTPS.
     */
    public static void set(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme());
        ctx.header("Set-Cookie", WebGuard.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + Math.max(0, maxAgeSeconds)
                + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : ""));
    }
}
