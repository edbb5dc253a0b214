package dev.cellar.web.auth;

import dev.cellar.config.WebAuthConfig;
import dev.cellar.web.audit.WebAuditTrail;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The web authentication of one server, wired: its stores on the catalog, the {@link WebGuard}
 * every web route passes, and the {@link AuthRoutes} to add to the HTTP server. What the daemon
 * (and a test) builds once: {@code WebAuth.on(catalog.dataSource(), trail, clock, config.webAuth())}.
 */
public final class WebAuth {
    private final UserStore users;
    private final SessionStore sessions;
    private final TokenStore tokens;
    private final WebGuard guard;
    private final AuthRoutes routes;

    private WebAuth(UserStore users, SessionStore sessions, TokenStore tokens, WebGuard guard, AuthRoutes routes) {
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.guard = guard;
        this.routes = routes;
    }

    /** Everything on a migrated catalog, with refusals recorded at most {@value WebGuard#DEFAULT_REFUSALS_PER_MINUTE} a minute per caller. */
    public static WebAuth on(DataSource catalog, WebAuditTrail audit, Clock clock, WebAuthConfig config) {
        return on(catalog, audit, clock, config, WebGuard.DEFAULT_REFUSALS_PER_MINUTE, new Argon2idPasswords());
    }

    /** As {@link #on(DataSource, WebAuditTrail, Clock, WebAuthConfig)}, with the refusal limit and the password hasher chosen. */
    public static WebAuth on(DataSource catalog, WebAuditTrail audit, Clock clock, WebAuthConfig config, int refusalsPerMinute,
            Argon2idPasswords passwords) {
        Objects.requireNonNull(config, "config");
        SecureRandom random = new SecureRandom();
        UserStore users = new UserStore(catalog, clock, passwords);
        SessionStore sessions = new SessionStore(catalog, clock, random, config.sessionIdle(), config.sessionMax());
        TokenStore tokens = new TokenStore(catalog, clock, random, users);
        WebGuard guard = new WebGuard(sessions, tokens, users, audit, clock, config.secondFactorFresh(), refusalsPerMinute,
                AuthRoutes.ROUTE_KINDS);
        LoginThrottle throttle = new LoginThrottle(clock, config.loginAttemptsPerMinute(), config.lockoutAfterFailures(), config.lockout());
        AuthRoutes routes = new AuthRoutes(users, sessions, tokens, new SecondFactor(clock, random), throttle, guard, audit, clock);
        return new WebAuth(users, sessions, tokens, guard, routes);
    }

    public WebGuard guard() {
        return guard;
    }

    public AuthRoutes routes() {
        return routes;
    }

    public UserStore users() {
        return users;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public TokenStore tokens() {
        return tokens;
    }
}
