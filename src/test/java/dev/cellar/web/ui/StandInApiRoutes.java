package dev.cellar.web.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.server.http.HttpRoutes;
import dev.cellar.web.auth.Principal;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Tests only: the few answers of the auth and API parts the pages read on load, in the contract's shape,
 * so the browser test sees the pages as they will run (no 404 in the console). The integrator drops this
 * when the browser tests switch to the real login.
 */
final class StandInApiRoutes implements HttpRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock;

    StandInApiRoutes(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/session", ctx -> {
            Principal p = CookieTestGuard.principal(ctx, clock);
            if (p == null) {
                ctx.status(401).contentType("application/json").result(JSON.writeValueAsString(Map.of("error", "no session", "hint", "log in", "status", 401)));
                return;
            }
            ctx.contentType("application/json").result(JSON.writeValueAsString(Map.of("user", p.user(), "role", p.role().id(), "via", "password", "csrfToken", "test-csrf-token")));
        });
        routes.get("/api/users", ctx -> ctx.contentType("application/json").result(JSON.writeValueAsString(List.of(
                Map.of("user", "alice", "role", "admin", "locked", false, "secondFactorEnrolled", true),
                Map.of("user", "olga", "role", "auditor", "locked", false, "secondFactorEnrolled", false)))));
        // the record the operation page reads once the stream says the operation ended
        routes.get("/api/operations/{id}", ctx -> ctx.contentType("application/json").result(JSON.writeValueAsString(Map.of(
                "id", ctx.pathParam("id"), "state", "succeeded", "progress", Map.of("phase", "restoring tables", "done", 3, "total", 10)))));
        routes.get("/api/operations/{id}/events", ctx -> ctx.contentType("text/event-stream").result("""
                event: state
                data: {"state": "running"}

                event: progress
                data: {"phase": "restoring tables", "done": 3, "total": 10}

                event: done
                data: {"state": "succeeded"}

                """));
    }
}
