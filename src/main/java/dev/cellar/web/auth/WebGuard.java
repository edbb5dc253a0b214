package dev.cellar.web.auth;

import dev.cellar.web.api.ApiRoute;
import dev.cellar.web.audit.WebAuditTrail;
import dev.cellar.web.audit.WebEvent;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link RouteGuard} of the dashboard and the REST API: finds the caller from the session
 * cookie or a Bearer token, lets {@link AccessPolicy} decide, records every refusal in the audit
 * trail ({@code web.denied}), and puts the {@link Principal} in {@code ctx.attribute("cellar.principal")}.
 */
public final class WebGuard implements RouteGuard {
    public static final String PRINCIPAL_ATTRIBUTE = "cellar.principal";
    /** The session itself, for the auth routes (second factor, logout). */
    static final String SESSION_ATTRIBUTE = "cellar.session";
    public static final String SESSION_COOKIE = "cellar_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Refusals per caller per minute written one by one before they are only counted. */
    public static final int DEFAULT_REFUSALS_PER_MINUTE = 5;

    private final SessionStore sessions;
    private final TokenStore tokens;
    private final UserStore users;
    private final WebAuditTrail audit;
    private final Clock clock;
    private final Duration secondFactorFresh;
    private final AccessPolicy policy;
    private final RefusalLimiter refusals;
    private final Map<String, AccessFacts.RouteKind> routeKinds;

    /**
     * @param routeKinds the routes the second-factor rules treat apart ({@link AuthRoutes#ROUTE_KINDS}), by "METHOD path"
     */
    public WebGuard(SessionStore sessions, TokenStore tokens, UserStore users, WebAuditTrail audit, Clock clock,
            Duration secondFactorFresh, int refusalsPerMinute, Map<String, AccessFacts.RouteKind> routeKinds) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.users = Objects.requireNonNull(users, "users");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.secondFactorFresh = Objects.requireNonNull(secondFactorFresh, "secondFactorFresh");
        this.policy = new AccessPolicy(secondFactorFresh);
        this.refusals = new RefusalLimiter(clock, refusalsPerMinute);
        this.routeKinds = Map.copyOf(routeKinds);
    }

    @Override
    public Principal admit(Context ctx, ApiRoute route) {
        String source = ctx.ip();
        AccessFacts facts = facts(ctx, route, source);
        AccessVerdict verdict = policy.decide(facts);
        Principal principal = facts.credentials() == AccessFacts.Credentials.VALID ? facts.principal() : null;
        if (!verdict.allowed()) {
            recordRefusal(principal, source, route, verdict);
            throw WebErrors.refusal(verdict.status(), verdict.reason(), verdict.hint());
        }
        if (principal != null) {
            ctx.attribute(PRINCIPAL_ATTRIBUTE, principal);
        }
        return principal;
    }

    /** How recently a second factor must have been proved for a destructive route. */
    public Duration secondFactorFresh() {
        return secondFactorFresh;
    }

    /** Records a refusal an auth route decided itself (a wrong code, a user that is not yours) as the guard records its own. */
    void recordRefusal(Principal principal, String source, ApiRoute route, AccessVerdict verdict) {
        String user = principal == null ? WebEvent.ANONYMOUS : principal.user();
        RefusalLimiter.Decision decision = refusals.refused(user + "@" + source);
        decision.summaryOfSuppressed().ifPresent(summary -> audit.record(new WebEvent(user, "", source, AuthAuditOperations.DENIED, "",
                WebEvent.DENIED, summary)));
        if (decision.recordThis()) {
            audit.record(new WebEvent(user, principal == null ? "" : principal.role().id(), source, AuthAuditOperations.DENIED, route.toString(),
                    WebEvent.DENIED, verdict.status() + " " + verdict.reason()));
        }
    }

    private AccessFacts facts(Context ctx, ApiRoute route, String source) {
        AccessFacts.RouteKind kind = routeKinds.getOrDefault(route.toString(), AccessFacts.RouteKind.ORDINARY);
        String authorization = ctx.header("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return refused(route, kind, "the Authorization header is not 'Bearer cellar_...'");
            }
            TokenStore.Check check = tokens.check(authorization.substring(7).strip());
            if (check.status() != TokenStore.Status.VALID) {
                return refused(route, kind, check.reason());
            }
            ApiToken token = check.token();
            Principal principal = new Principal(token.user(), Role.of(token.role()), Principal.Via.TOKEN, null, source);
            return new AccessFacts(route, kind, AccessFacts.Credentials.VALID, "", principal, true, false, true, false);
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie == null || cookie.isBlank()) {
            return new AccessFacts(route, kind, AccessFacts.Credentials.NONE, "", null, false, false, false, false);
        }
        Optional<WebSession> found = sessions.find(cookie);
        if (found.isEmpty()) {
            return refused(route, kind, "the session has ended (expired, logged out or unknown)");
        }
        WebSession session = found.get();
        Optional<WebUser> user = users.find(session.user());
        if (user.isPresent() && (user.get().disabled() || user.get().lockedAt(clock.instant()))) {
            return refused(route, kind, "the user " + session.user() + " is disabled or locked out");
        }
        ctx.attribute(SESSION_ATTRIBUTE, session);
        Principal principal = session.principal(source);
        return new AccessFacts(route, kind, AccessFacts.Credentials.VALID, "", principal,
                Secrets.same(ctx.header(CSRF_HEADER), session.csrfToken()), session.secondFactorPending(),
                user.map(WebUser::secondFactorEnrolled).orElse(provedByProvider(session)), principal.secondFactorFresh(clock, secondFactorFresh));
    }

    /**
     * An OIDC user is in no catalog row to enrol a TOTP secret in: the provider's second factor
     * (its {@code amr} claim, or trusted by configuration) stands for the enrolment.
     */
    private static boolean provedByProvider(WebSession session) {
        return session.via() == Principal.Via.OIDC && session.secondFactorAt() != null;
    }

    private static AccessFacts refused(ApiRoute route, AccessFacts.RouteKind kind, String problem) {
        return new AccessFacts(route, kind, AccessFacts.Credentials.INVALID, problem, null, false, false, false, false);
    }
}
