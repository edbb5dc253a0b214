package dev.cellar.web.oidc;

import dev.cellar.app.NeverPrompt;
import dev.cellar.config.OidcConfig;
import dev.cellar.server.http.CellarHttpServer;
import dev.cellar.server.http.HttpRoutes;
import dev.cellar.web.audit.WebAuditTrail;
import dev.cellar.web.audit.WebEvent;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /auth/oidc/login} sends the browser to the provider; {@code GET /auth/oidc/callback}
 * takes it back, checks that the login is the one this browser started, validates the identity,
 * starts the session and lands on the status board. Every login and every refusal is audited.
 */
public final class OidcRoutes implements HttpRoutes {
    public static final String LOGIN = "/auth/oidc/login";
    public static final String CALLBACK = "/auth/oidc/callback";
    /** Where a browser lands after the callback: the status board, reached by a same-site navigation. */
    static final String LANDING = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cellar: logged in</title>"
            + "<meta http-equiv=\"refresh\" content=\"0;url=/\"></head><body><p>Logged in. <a href=\"/\">Go to the status board</a>.</p>"
            + "</body></html>";
    /**
     * Ties the callback to the browser that started the login, so nobody can log a victim into
     * the attacker's account with a callback URL of their own. SameSite=Lax, not Strict: the
     * callback is a navigation from the provider's site, which a Strict cookie would not follow.
     */
    static final String STATE_COOKIE = "cellar_oidc_state";
    private static final String VIA = "via oidc";

    private final OidcClient client;
    private final PendingOidcLogins pending;
    private final OidcSessionStarter sessions;
    private final WebAuditTrail audit;

    public OidcRoutes(OidcClient client, PendingOidcLogins pending, OidcSessionStarter sessions, WebAuditTrail audit) {
        this.client = Objects.requireNonNull(client, "client");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * The OIDC login as configured, or empty when {@code web.oidc.issuer} is not set. The client
     * secret is read now, once; the provider is first asked at the first login, so a provider that
     * is down does not stop the server.
     *
     * @throws dev.cellar.error.CellarException {@code CONFIG_INVALID} when the client secret cannot be read
     */
    public static Optional<OidcRoutes> configured(OidcConfig config, Map<String, String> env, Clock clock, OidcSessionStarter sessions,
            WebAuditTrail audit) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        char[] secret = config.clientSecret() == null ? null : config.clientSecret().resolve(new NeverPrompt(), env);
        return Optional.of(new OidcRoutes(new OidcClient(config, secret, clock), new PendingOidcLogins(clock, PendingOidcLogins.DEFAULT_LIFETIME),
                sessions, audit));
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(LOGIN, this::login);
        routes.get(CALLBACK, this::callback);
    }

    private void login(Context ctx) {
        OidcAuthorization authorization;
        try {
            authorization = client.begin();
        } catch (OidcLoginRefused e) {
            refuse(ctx, HttpStatus.BAD_GATEWAY, e);
            return;
        }
        pending.put(authorization.pending());
        setStateCookie(ctx, authorization.pending().state(), (int) PendingOidcLogins.DEFAULT_LIFETIME.toSeconds());
        ctx.redirect(authorization.redirectTo().toString(), HttpStatus.FOUND);
    }

    private void callback(Context ctx) {
        String state = ctx.queryParam("state");
        String browserState = ctx.cookie(STATE_COOKIE);
        setStateCookie(ctx, "", 0);
        try {
            String providerError = ctx.queryParam("error");
            if (providerError != null) {
                pending.take(state);
                String description = Optional.ofNullable(ctx.queryParam("error_description")).map(d -> " (" + d + ")").orElse("");
                throw new OidcLoginRefused("the provider refused the login: " + providerError + description,
                        "log in at the provider again, or ask its administrator whether you may use Cellar");
            }
            if (state == null || browserState == null || !state.equals(browserState)) {
                pending.take(state);
                throw new OidcLoginRefused("the login's state does not match the one this browser started",
                        "start the login again from the login page (the link may be old, or from another browser)");
            }
            PendingOidcLogin login = pending.take(state).orElseThrow(() -> new OidcLoginRefused(
                    "the login is unknown or older than " + PendingOidcLogins.DEFAULT_LIFETIME.toMinutes() + " minutes",
                    "start the login again from the login page"));
            String code = ctx.queryParam("code");
            if (code == null || code.isBlank()) {
                throw new OidcLoginRefused("the provider sent no authorization code", "start the login again from the login page");
            }
            OidcIdentity identity = client.finish(login, code);
            sessions.start(ctx, identity);
            audit.record(new WebEvent(identity.user(), identity.role().id(), ctx.ip(), WebEvent.LOGIN, identity.user(), WebEvent.OK,
                    VIA + (identity.secondFactorProved() ? ", second factor proved by the provider" : "")));
            // a redirect would carry on the provider's cross-site navigation, on which the browser withholds the
            // SameSite=Strict session cookie; a page of our own that moves on makes the next request same-site
            ctx.contentType("text/html; charset=utf-8").result(LANDING);
        } catch (OidcLoginRefused e) {
            refuse(ctx, HttpStatus.FORBIDDEN, e);
        }
    }

    /** Answers in the API's error shape, and records the refusal with the user when the token named one. */
    private void refuse(Context ctx, HttpStatus status, OidcLoginRefused e) {
        audit.record(new WebEvent(e.user(), "", ctx.ip(), WebEvent.LOGIN, e.user(), WebEvent.DENIED, VIA + ": " + e.getMessage()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("hint", e.hint());
        body.put("status", status.getCode());
        ctx.status(status).json(body);
    }

    private static void setStateCookie(Context ctx, String value, int maxAgeSeconds) {
        ctx.res().addHeader("Set-Cookie", STATE_COOKIE + "=" + value + "; Path=/auth/oidc; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Lax" + (CellarHttpServer.overHttps(ctx) ? "; Secure" : ""));
    }
}
