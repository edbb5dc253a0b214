package dev.cellar.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.server.http.HttpRoutes;
import dev.cellar.web.api.ApiRoute;
import dev.cellar.web.audit.WebAuditTrail;
import dev.cellar.web.audit.WebEvent;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The auth part of the web contract: login, second factor, logout, users, enrolment and API
 * tokens. Each route passes the {@link WebGuard} first; each login and every change is recorded
 * in the audit trail.
 */
public final class AuthRoutes implements HttpRoutes {
    public static final ApiRoute LOGIN = new ApiRoute("POST", "/api/session", null, false, "Log in with user name and password", "session");
    public static final ApiRoute SECOND_FACTOR = new ApiRoute("POST", "/api/session/second-factor", Permission.READ, false,
            "Give a TOTP or recovery code: finishes a login, or refreshes the second factor before a destructive action", "session");
    public static final ApiRoute WHO_AM_I = new ApiRoute("GET", "/api/session", Permission.READ, false, "The session's user, role and CSRF token", "session");
    public static final ApiRoute LOGOUT = new ApiRoute("DELETE", "/api/session", Permission.READ, false, "Log out", "session");
    public static final ApiRoute LIST_USERS = new ApiRoute("GET", "/api/users", Permission.MANAGE_USERS, false, "List the web users", "users");
    public static final ApiRoute ADD_USER = new ApiRoute("POST", "/api/users", Permission.MANAGE_USERS, true, "Add a web user", "users");
    public static final ApiRoute CHANGE_USER = new ApiRoute("PATCH", "/api/users/{user}", Permission.MANAGE_USERS, true,
            "Change a user's role or password, lock or unlock them", "users");
    public static final ApiRoute REMOVE_USER = new ApiRoute("DELETE", "/api/users/{user}", Permission.MANAGE_USERS, true, "Remove a web user", "users");
    public static final ApiRoute ENROL = new ApiRoute("POST", "/api/users/{user}/second-factor", Permission.READ, false,
            "Start enrolling a TOTP second factor (the user themself or an admin)", "users");
    public static final ApiRoute CONFIRM_ENROLMENT = new ApiRoute("POST", "/api/users/{user}/second-factor/confirm", Permission.READ, false,
            "Confirm the enrolment with a code from the authenticator app", "users");
    public static final ApiRoute LIST_TOKENS = new ApiRoute("GET", "/api/tokens", Permission.READ, false,
            "Your API tokens (an admin sees all)", "tokens");
    public static final ApiRoute CREATE_TOKEN = new ApiRoute("POST", "/api/tokens", Permission.READ, true,
            "Create an API token for yourself; shown once", "tokens");
    public static final ApiRoute REVOKE_TOKEN = new ApiRoute("DELETE", "/api/tokens/{id}", Permission.READ, false,
            "Revoke an API token (yours, or any for an admin)", "tokens");

    /** Every route of this group, for the OpenAPI document and the role test. */
    public static final List<ApiRoute> ROUTES = List.of(LOGIN, SECOND_FACTOR, WHO_AM_I, LOGOUT, LIST_USERS, ADD_USER, CHANGE_USER,
            REMOVE_USER, ENROL, CONFIRM_ENROLMENT, LIST_TOKENS, CREATE_TOKEN, REVOKE_TOKEN);

    /** The JSON body fields of the routes that take one, for the OpenAPI document. */
    public static final Map<ApiRoute, Map<String, String>> BODIES = bodies();

    /** The routes the second-factor rules of {@link AccessPolicy} treat apart. */
    public static final Map<String, AccessFacts.RouteKind> ROUTE_KINDS = Map.of(
            SECOND_FACTOR.toString(), AccessFacts.RouteKind.SECOND_FACTOR,
            WHO_AM_I.toString(), AccessFacts.RouteKind.OWN_SESSION,
            LOGOUT.toString(), AccessFacts.RouteKind.OWN_SESSION,
            ENROL.toString(), AccessFacts.RouteKind.ENROLMENT,
            CONFIRM_ENROLMENT.toString(), AccessFacts.RouteKind.ENROLMENT);

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final UserStore users;
    private final SessionStore sessions;
    private final TokenStore tokens;
    private final SecondFactor secondFactor;
    private final LoginThrottle throttle;
    private final WebGuard guard;
    private final WebAuditTrail audit;
    private final Clock clock;
    /** Checked when the user does not exist, so a wrong name takes as long as a wrong password. */
    private final String decoyHash;

    public AuthRoutes(UserStore users, SessionStore sessions, TokenStore tokens, SecondFactor secondFactor, LoginThrottle throttle,
            WebGuard guard, WebAuditTrail audit, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.secondFactor = Objects.requireNonNull(secondFactor, "secondFactor");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.decoyHash = users.passwords().hash("no user has this password".toCharArray());
    }

    @FunctionalInterface
    private interface Handler {
        void handle(Context ctx, Principal principal) throws Exception;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        add(routes, LOGIN, this::login);
        add(routes, SECOND_FACTOR, this::secondFactor);
        add(routes, WHO_AM_I, this::whoAmI);
        add(routes, LOGOUT, this::logout);
        add(routes, LIST_USERS, (ctx, p) -> json(ctx, 200, users.list()));
        add(routes, ADD_USER, this::addUser);
        add(routes, CHANGE_USER, this::changeUser);
        add(routes, REMOVE_USER, this::removeUser);
        add(routes, ENROL, this::enrol);
        add(routes, CONFIRM_ENROLMENT, this::confirmEnrolment);
        add(routes, LIST_TOKENS, (ctx, p) -> json(ctx, 200, tokens.list(p.allows(Permission.MANAGE_USERS) ? null : p.user())));
        add(routes, CREATE_TOKEN, this::createToken);
        add(routes, REVOKE_TOKEN, this::revokeToken);
    }

    private void add(RoutesConfig routes, ApiRoute route, Handler handler) {
        io.javalin.http.Handler guarded = ctx -> {
            try {
                Principal principal = guard.admit(ctx, route);
                handler.handle(ctx, principal);
            } catch (HttpResponseException e) {
                WebErrors.answer(ctx, e);
            } catch (CellarException e) {
                int status = e.code() == ErrorCode.NOT_FOUND ? 404 : e.code() == ErrorCode.CONFIG_INVALID ? 400 : 500;
                WebErrors.answer(ctx, WebErrors.refusal(status, e.getMessage(), e.hint()));
            }
        };
        switch (route.method()) {
            case "GET" -> routes.get(route.path(), guarded);
            case "POST" -> routes.post(route.path(), guarded);
            case "PATCH" -> routes.patch(route.path(), guarded);
            case "DELETE" -> routes.delete(route.path(), guarded);
            default -> throw new IllegalArgumentException("no such method: " + route);
        }
    }

    private void login(Context ctx, Principal ignored) throws Exception {
        JsonNode body = body(ctx);
        String name = text(body, "user");
        char[] password = text(body, "password").toCharArray();
        String source = ctx.ip();
        Optional<Instant> retry = throttle.attempt(source, name);
        if (retry.isPresent()) {
            loginEvent(name, "", source, WebEvent.FAILED, "429 too many attempts");
            ctx.header("Retry-After", Long.toString(Math.max(1, retry.get().getEpochSecond() - clock.instant().getEpochSecond())));
            throw WebErrors.refusal(429, "too many login attempts from " + source + " or for " + name,
                    "wait until " + retry.get() + " and try again");
        }
        Optional<WebUser> found = users.find(name);
        if (found.isPresent() && found.get().lockedAt(clock.instant())) {
            loginEvent(name, "", source, WebEvent.FAILED, "423 locked out until " + found.get().lockedUntil());
            throw WebErrors.refusal(423, name + " is locked out until " + found.get().lockedUntil() + " after too many failed attempts",
                    "wait, or ask an admin to run 'cellar user unlock " + name + "'");
        }
        boolean good;
        if (found.isPresent() && !found.get().disabled() && found.get().passwordHash() != null) {
            good = users.passwords().matches(password, found.get().passwordHash());
        } else {
            users.passwords().matches(password, decoyHash);
            good = false;
        }
        if (!good) {
            found.ifPresent(user -> failed(user.name()));
            loginEvent(name, "", source, WebEvent.FAILED, "401 wrong user name or password");
            throw WebErrors.refusal(401, "wrong user name or password", "check both; after "
                    + "too many failures the user is locked out for a while");
        }
        WebUser user = found.get();
        users.recordSuccess(user.name());
        if (users.passwords().needsRehash(user.passwordHash())) {
            users.replaceHash(user.name(), users.passwords().hash(password));
        }
        SessionStore.Opened opened = sessions.open(user.name(), user.role(), Principal.Via.PASSWORD, user.secondFactorEnrolled());
        setCookie(ctx, opened.id(), java.time.Duration.between(clock.instant(), opened.session().expires()).toSeconds());
        loginEvent(user.name(), user.role().id(), source, WebEvent.OK,
                "password" + (user.secondFactorEnrolled() ? "; second factor pending" : ""));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user", user.name());
        answer.put("role", user.role().id());
        // required: a code must be given now; enrolment required: a role that changes state without one must enrol first
        answer.put("secondFactorRequired", user.secondFactorEnrolled());
        answer.put("secondFactorEnrolled", user.secondFactorEnrolled());
        answer.put("secondFactorEnrolmentRequired", !user.secondFactorEnrolled() && user.role().changesState());
        answer.put("csrfToken", opened.session().csrfToken());
        json(ctx, 200, answer);
    }

    private void secondFactor(Context ctx, Principal principal) throws Exception {
        WebSession session = requireSession(ctx, principal, SECOND_FACTOR);
        String code = text(body(ctx), "code");
        String source = ctx.ip();
        Optional<Instant> retry = throttle.attempt(source, session.user());
        if (retry.isPresent()) {
            loginEvent(session.user(), session.role().id(), source, WebEvent.FAILED, "429 too many second-factor attempts");
            throw WebErrors.refusal(429, "too many attempts", "wait until " + retry.get() + " and try again");
        }
        WebUser user = users.find(session.user()).filter(WebUser::secondFactorEnrolled).orElseThrow(() -> refuse(principal, ctx,
                SECOND_FACTOR, 403, session.user() + " has no second factor enrolled",
                "enrol one: POST /api/users/" + session.user() + "/second-factor"));
        if (user.lockedAt(clock.instant())) {
            loginEvent(user.name(), user.role().id(), source, WebEvent.FAILED, "423 locked out");
            throw WebErrors.refusal(423, user.name() + " is locked out until " + user.lockedUntil(),
                    "wait, or ask an admin to run 'cellar user unlock " + user.name() + "'");
        }
        String how;
        boolean good;
        if (SecondFactor.looksLikeRecoveryCode(code)) {
            how = "recovery code";
            good = users.useRecoveryCode(user.name(), SecondFactor.hashRecoveryCode(code));
        } else {
            how = "totp";
            OptionalLong step = secondFactor.matchingStep(user.totpSecret(), code, user.totpLastStep());
            good = step.isPresent() && users.acceptTotpStep(user.name(), step.getAsLong());
        }
        if (!good) {
            failed(user.name());
            loginEvent(user.name(), user.role().id(), source, WebEvent.FAILED, "second factor: wrong or used " + how);
            throw WebErrors.refusal(401, "wrong or already used " + (how.equals("totp") ? "code" : how),
                    "type the code your authenticator app shows now (each code works once), or an unused recovery code");
        }
        users.recordSuccess(user.name());
        Instant at = sessions.proveSecondFactor(session);
        loginEvent(user.name(), user.role().id(), source, WebEvent.OK, "second factor (" + how + ")"
                + (how.equals("totp") ? "" : "; " + users.recoveryCodesLeft(user.name()) + " recovery codes left"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user", user.name());
        answer.put("role", session.role().id());
        answer.put("secondFactorAt", at);
        answer.put("csrfToken", session.csrfToken());
        answer.put("recoveryCodesLeft", users.recoveryCodesLeft(user.name()));
        json(ctx, 200, answer);
    }

    private void whoAmI(Context ctx, Principal principal) {
        WebSession session = ctx.attribute(WebGuard.SESSION_ATTRIBUTE);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user", principal.user());
        answer.put("role", principal.role().id());
        answer.put("via", principal.via().name().toLowerCase(java.util.Locale.ROOT));
        answer.put("secondFactorAt", principal.secondFactorAt());
        answer.put("secondFactorPending", session != null && session.secondFactorPending());
        answer.put("secondFactorEnrolled", users.find(principal.user()).map(WebUser::secondFactorEnrolled).orElse(false));
        answer.put("csrfToken", session == null ? null : session.csrfToken());
        json(ctx, 200, answer);
    }

    private void logout(Context ctx, Principal principal) {
        WebSession session = requireSession(ctx, principal, LOGOUT);
        sessions.close(session);
        setCookie(ctx, "", 0);
        audit.record(new WebEvent(principal.user(), principal.role().id(), ctx.ip(), AuthAuditOperations.LOGOUT, "", WebEvent.OK, ""));
        ctx.status(204);
    }

    private void addUser(Context ctx, Principal principal) throws Exception {
        JsonNode body = body(ctx);
        String name = text(body, "user");
        UserSummary added = users.add(name, role(body, "role"), text(body, "password").toCharArray());
        changed(ctx, principal, ADD_USER, name, "role " + added.role());
        json(ctx, 201, added);
    }

    private void changeUser(Context ctx, Principal principal) throws Exception {
        String name = ctx.pathParam("user");
        JsonNode body = body(ctx);
        users.require(name);
        StringBuilder what = new StringBuilder();
        if (body.hasNonNull("role")) {
            users.setRole(name, role(body, "role"));
            what.append("role ").append(body.get("role").asText()).append(' ');
        }
        if (body.hasNonNull("password")) {
            users.setPassword(name, body.get("password").asText().toCharArray());
            what.append("password ");
        }
        if (body.hasNonNull("locked")) {
            if (body.get("locked").asBoolean()) {
                users.lockUntil(name, Instant.parse("9999-12-31T00:00:00Z"));
                what.append("locked");
            } else {
                users.unlock(name);
                what.append("unlocked");
            }
        }
        changed(ctx, principal, CHANGE_USER, name, what.toString().strip());
        json(ctx, 200, users.require(name).summary(clock.instant()));
    }

    private void removeUser(Context ctx, Principal principal) {
        String name = ctx.pathParam("user");
        if (name.equals(principal.user())) {
            throw refuse(principal, ctx, REMOVE_USER, 403, "you cannot remove yourself",
                    "another admin can; a server without any admin is rescued with 'cellar user add NAME --role admin'");
        }
        users.remove(name);
        changed(ctx, principal, REMOVE_USER, name, "");
        ctx.status(204);
    }

    private void enrol(Context ctx, Principal principal) {
        String name = ctx.pathParam("user");
        boolean self = name.equals(principal.user());
        if (!self && !principal.allows(Permission.MANAGE_USERS)) {
            throw refuse(principal, ctx, ENROL, 403, "only " + name + " or an admin may enrol a second factor for " + name,
                    "enrol your own: POST /api/users/" + principal.user() + "/second-factor");
        }
        WebUser user = users.require(name);
        if (user.secondFactorEnrolled() && !principal.secondFactorFresh(clock, freshFor())) {
            throw refuse(principal, ctx, ENROL, 403, name + " has a second factor already; replacing it needs a fresh one",
                    "POST /api/session/second-factor with a current code first (a lost phone: 'cellar user reset-second-factor " + name + "')");
        }
        String secret = secondFactor.newSecret();
        List<String> codes = secondFactor.newRecoveryCodes();
        users.beginEnrolment(name, secret, codes.stream().map(SecondFactor::hashRecoveryCode).toList());
        changed(ctx, principal, ENROL, name, "enrolment started");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("secret", secret);
        answer.put("otpauthUri", secondFactor.otpauthUri(name, secret));
        secondFactor.qrCodeDataUri(name, secret).ifPresent(qr -> answer.put("qrCode", qr));
        answer.put("recoveryCodes", codes);
        json(ctx, 200, answer);
    }

    private void confirmEnrolment(Context ctx, Principal principal) throws Exception {
        String name = ctx.pathParam("user");
        if (!name.equals(principal.user())) {
            throw refuse(principal, ctx, CONFIRM_ENROLMENT, 403, "only " + name + " can confirm their own second factor",
                    "log in as " + name + " and give a code of the authenticator app");
        }
        WebUser user = users.require(name);
        OptionalLong step = secondFactor.matchingStep(user.totpPendingSecret(), text(body(ctx), "code"), null);
        if (step.isEmpty() || !users.confirmEnrolment(name, step.getAsLong())) {
            changedOutcome(ctx, principal, CONFIRM_ENROLMENT, name, WebEvent.FAILED, "wrong code or no enrolment pending");
            throw WebErrors.refusal(400, "the code does not match the secret being enrolled (or no enrolment is pending)",
                    "check the phone's clock and type the code shown now; or start again with POST /api/users/" + name + "/second-factor");
        }
        WebSession session = ctx.attribute(WebGuard.SESSION_ATTRIBUTE);
        Instant at = session == null ? null : sessions.proveSecondFactor(session);
        changed(ctx, principal, CONFIRM_ENROLMENT, name, "second factor enrolled");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user", name);
        answer.put("secondFactorEnrolled", true);
        answer.put("secondFactorAt", at);
        json(ctx, 200, answer);
    }

    private void createToken(Context ctx, Principal principal) throws Exception {
        JsonNode body = body(ctx);
        int days = body.path("expiresInDays").asInt(0);
        IssuedToken token = tokens.create(principal.user(), body.path("name").asText(""), role(body, "role"), days);
        changed(ctx, principal, CREATE_TOKEN, token.id(), "role " + token.role() + ", expires " + token.expires());
        json(ctx, 201, token);
    }

    private void revokeToken(Context ctx, Principal principal) {
        String id = ctx.pathParam("id");
        Optional<ApiToken> token = tokens.find(id);
        if (token.isPresent() && !token.get().user().equals(principal.user()) && !principal.allows(Permission.MANAGE_USERS)) {
            throw refuse(principal, ctx, REVOKE_TOKEN, 403, "the token " + id + " is not yours", "an admin can revoke any token");
        }
        tokens.revoke(id);
        changed(ctx, principal, REVOKE_TOKEN, id, "revoked");
        ctx.status(204);
    }

    private WebSession requireSession(Context ctx, Principal principal, ApiRoute route) {
        WebSession session = ctx.attribute(WebGuard.SESSION_ATTRIBUTE);
        if (session == null) {
            throw refuse(principal, ctx, route, 403, "only a dashboard session can do this, not an API token",
                    "log in with POST /api/session");
        }
        return session;
    }

    private java.time.Duration freshFor() {
        return guard.secondFactorFresh();
    }

    private void failed(String name) {
        throttle.lockAfter(users.recordFailure(name)).ifPresent(until -> users.lockUntil(name, until));
    }

    private HttpResponseException refuse(Principal principal, Context ctx, ApiRoute route, int status, String reason, String hint) {
        guard.recordRefusal(principal, ctx.ip(), route, new AccessVerdict(status, reason, hint));
        return WebErrors.refusal(status, reason, hint);
    }

    private void loginEvent(String user, String role, String source, String result, String detail) {
        audit.record(new WebEvent(user, role, source, AuthAuditOperations.LOGIN, user, result, detail));
    }

    private void changed(Context ctx, Principal principal, ApiRoute route, String target, String detail) {
        changedOutcome(ctx, principal, route, target, WebEvent.OK, detail);
    }

    private void changedOutcome(Context ctx, Principal principal, ApiRoute route, String target, String result, String detail) {
        audit.record(new WebEvent(principal.user(), principal.role().id(), ctx.ip(), "api " + route, target, result, detail));
    }

    private void setCookie(Context ctx, String value, long maxAgeSeconds) {
        SessionCookie.set(ctx, value, maxAgeSeconds);
    }

    private static Map<ApiRoute, Map<String, String>> bodies() {
        Map<ApiRoute, Map<String, String>> bodies = new LinkedHashMap<>();
        for (ApiRoute route : ROUTES) {
            bodies.put(route, Map.of());
        }
        bodies.put(LOGIN, Map.of("user", "string", "password", "string"));
        bodies.put(SECOND_FACTOR, Map.of("code", "string"));
        bodies.put(ADD_USER, Map.of("user", "string", "password", "string", "role", "string"));
        bodies.put(CHANGE_USER, Map.of("role", "string", "password", "string", "locked", "boolean"));
        bodies.put(CONFIRM_ENROLMENT, Map.of("code", "string"));
        bodies.put(CREATE_TOKEN, Map.of("name", "string", "role", "string", "expiresInDays", "integer"));
        return java.util.Collections.unmodifiableMap(bodies);
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode node = JSON.readTree(ctx.body());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            return node;
        } catch (Exception e) {
            throw WebErrors.refusal(400, "the request body is not a JSON object", "send Content-Type: application/json with a JSON object");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw WebErrors.refusal(400, "the request needs the text field '" + field + "'", "see docs/web-security.md for the fields");
        }
        return value.asText();
    }

    private static Role role(JsonNode body, String field) {
        try {
            return Role.of(text(body, field));
        } catch (IllegalArgumentException e) {
            throw WebErrors.refusal(400, e.getMessage(), "roles: admin, dba, operator, auditor");
        }
    }

    private static void json(Context ctx, int status, Object value) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
    }
}
