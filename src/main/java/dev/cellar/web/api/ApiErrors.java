package dev.cellar.web.api;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.RepositoryJson;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers every error of the API in the contract's one shape, {@code {"error", "hint", "status"}}:
 * a service's {@link CellarException} with a status that fits its code, the API's own
 * {@link ApiProblem}, and the guard's 401/403.
 */
public final class ApiErrors {
    static final String API_PREFIX = "/api/";
    private ApiErrors() {
    }

    /** Adds the exception handlers to the routes of the API (Javalin's handlers are global: they apply to every route). */
    public static void addTo(RoutesConfig routes) {
        routes.exception(ApiProblem.class, (e, ctx) -> answer(ctx, e.status(), e.getMessage(), e.hint()));
        routes.exception(CellarException.class, (e, ctx) -> answer(ctx, statusOf(e), e.getMessage(), e.hint()));
        // the guard's 401/403 (and Javalin's own 4xx) in the same shape under /api/; the dashboard's pages get the plain message
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (ctx.path().startsWith(API_PREFIX)) {
                answer(ctx, e.getStatus(), e.getMessage(), e.getDetails().get("hint"));
            } else {
                ctx.status(e.getStatus()).contentType("text/plain; charset=utf-8").result(e.getMessage());
            }
        });
    }

    /** The HTTP status the API answers an exception with. */
    public static int statusOf(Throwable e) {
        if (e instanceof ApiProblem problem) {
            return problem.status();
        }
        if (e instanceof HttpResponseException http) {
            return http.getStatus();
        }
        if (e instanceof CellarException cellar) {
            return statusOf(cellar.code());
        }
        return 500;
    }

    static int statusOf(ErrorCode code) {
        return switch (code) {
            case USAGE -> 400;
            case NOT_FOUND -> 404;
            case TARGET_EXISTS, LOCKED, OBJECT_LOCKED, WAL_CONFLICT -> 409;
            case DATABASE_UNREACHABLE, STORAGE_UNAVAILABLE, OBJECT_ARCHIVED -> 503;
            default -> 500;
        };
    }

    static void answer(Context ctx, int status, String message, String hint) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("hint", hint == null ? "" : hint);
        body.put("status", status);
        ctx.status(status);
        json(ctx, body);
    }

    public static void json(Context ctx, Object value) {
        try {
            ctx.contentType("application/json").result(RepositoryJson.mapper().writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
