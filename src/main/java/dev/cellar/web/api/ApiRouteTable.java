package dev.cellar.web.api;

import dev.cellar.web.audit.WebAuditTrail;
import dev.cellar.web.audit.WebEvent;
import dev.cellar.web.auth.Principal;
import dev.cellar.web.auth.RouteGuard;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every route of the REST API beside its handler. {@link #addTo} is the only way they reach
 * Javalin, and it wraps each handler with the guard and the audit trail, so no route can exist
 * without a row here, a permission check, and (when it changes state) a record of the call.
 */
public final class ApiRouteTable {
    /** Where a handler names what a state-changing call acted on, for its audit record. */
    public static final String AUDIT_TARGET = "cellar.audit.target";
    /** Where the guard puts the caller (the URL contract). */
    public static final String PRINCIPAL = "cellar.principal";

    /**
     * One row: the route, what answers it, and what the OpenAPI document says of its request.
     *
     * @param query    the query parameters it reads
     * @param body     the fields of its JSON body, name to a JSON type ({@code string}, {@code boolean}); empty for none
     * @param accepted whether it answers 202 with an operation id (a long operation) rather than 200
     */
    public record Entry(ApiRoute route, Handler handler, List<String> query, java.util.Map<String, String> body, boolean accepted) {
        public Entry {
            query = List.copyOf(query);
            body = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(body));
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    /** Adds a route; a second row for the same method and path is a programming error. */
    public ApiRouteTable add(Entry entry) {
        if (!keys.add(entry.route().toString())) {
            throw new IllegalArgumentException("route declared twice: " + entry.route());
        }
        entries.add(entry);
        return this;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public List<ApiRoute> routes() {
        return entries.stream().map(Entry::route).toList();
    }

    /**
     * Adds a route another group registers itself (login, users, tokens: the auth part's), so the
     * OpenAPI document names every route of the API and the role test walks them all.
     */
    public ApiRouteTable documentOnly(ApiRoute route, java.util.Map<String, String> body) {
        return add(new Entry(route, null, List.of(), body, false));
    }

    /**
     * Registers every route on Javalin: the guard admits the caller (or answers 401/403 itself),
     * then the handler runs; a call that changes state is recorded in the audit trail with its
     * user, source, target and whether it worked.
     *
     * @return the routes registered, in order (what the OpenAPI coverage test compares); not those
     *         {@linkplain #documentOnly documented only}, which their own group registers
     */
    public List<ApiRoute> addTo(RoutesConfig routes, RouteGuard guard, WebAuditTrail audit) {
        List<ApiRoute> registered = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.handler() == null) {
                continue;
            }
            ApiRoute route = entry.route();
            registered.add(route);
            routes.addHttpHandler(HandlerType.findOrCreate(route.method()), route.path(), ctx -> handle(ctx, entry, guard, audit));
        }
        return List.copyOf(registered);
    }

    private static void handle(Context ctx, Entry entry, RouteGuard guard, WebAuditTrail audit) throws Exception {
        ApiRoute route = entry.route();
        Principal principal = guard.admit(ctx, route);
        if (principal != null) {
            ctx.attribute(PRINCIPAL, principal);
        }
        if (!route.changesState()) {
            entry.handler().handle(ctx);
            return;
        }
        try {
            entry.handler().handle(ctx);
            audit.record(event(ctx, route, principal, ctx.status().getCode() < 400 ? WebEvent.OK : WebEvent.FAILED,
                    "status " + ctx.status().getCode()));
        } catch (Exception | Error e) {
            audit.record(event(ctx, route, principal, WebEvent.FAILED, ApiErrors.statusOf(e) + ": " + e.getMessage()));
            throw e;
        }
    }

    private static WebEvent event(Context ctx, ApiRoute route, Principal principal, String result, String detail) {
        String target = ctx.attribute(AUDIT_TARGET);
        return new WebEvent(principal == null ? null : principal.user(), principal == null ? "" : principal.role().id(),
                principal == null ? ctx.ip() : principal.source(), "api " + route.method() + " " + route.path(),
                target == null ? pathTarget(ctx) : target, result, detail);
    }

    /** With no target named by the handler: the path's own parameters (an operation id, an alert id). */
    private static String pathTarget(Context ctx) {
        return String.join(" ", ctx.pathParamMap().values());
    }

    /** The principal the guard admitted, for handlers. */
    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new ApiProblem(401, "this request needs credentials", "log in (POST /api/session) or send Authorization: Bearer <token>");
        }
        return principal;
    }
}
