package dev.cellar.web.api;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.web.auth.Principal;
import dev.cellar.web.auth.RouteGuard;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The API's long operations: each POST records the request, answers 202 with the operation's id at
 * once, and the operation runs (or waits for a second person's approval) in the
 * {@link OperationRegistry}; its state is polled or streamed as server-sent events.
 */
final class OperationEndpoints {
    /** What the repository-wide operations name as their target in the audit trail. */
    static final String REPOSITORY = "repository";
    private static final int LIST_LIMIT = 50;

    private final CellarConfig config;
    private final OperationRegistry registry;
    private final FourEyesPolicy fourEyes;
    private final RouteGuard guard;

    OperationEndpoints(CellarConfig config, OperationRegistry registry, RouteGuard guard) {
        this.config = config;
        this.registry = registry;
        this.fourEyes = new FourEyesPolicy(config);
        this.guard = guard;
    }

    /** {@code POST /api/backups} {@code {database, type: logical|physical, incremental?}}. */
    void backup(Context ctx) {
        RequestBodies body = RequestBodies.of(ctx);
        ScheduledDatabase db = database(body.optionalText("database"));
        String type = body.optionalText("type") == null ? "logical" : body.optionalText("type");
        OperationKind kind = switch (type) {
            case "logical" -> OperationKind.BACKUP_LOGICAL;
            case "physical" -> OperationKind.BACKUP_PHYSICAL;
            default -> throw ApiProblem.badRequest("unknown backup type '" + type + "'", "use \"logical\" or \"physical\"");
        };
        if (kind == OperationKind.BACKUP_PHYSICAL && !db.physical()) {
            throw ApiProblem.badRequest("database " + db.name() + " has no data directory configured, so no physical backup",
                    "set data-dir in its databases: entry (or postgres.data-dir), on the database host");
        }
        submit(ctx, new OperationRequest(kind, db.name(), db.name(), Map.of("incremental", body.flag("incremental"))));
    }

    /** {@code POST /api/verify} {@code {kind: backups|wal|restore-test, backup?, database?}}. */
    void verify(Context ctx) {
        RequestBodies body = RequestBodies.of(ctx);
        String kind = body.optionalText("kind") == null ? "backups" : body.optionalText("kind");
        if (!List.of("backups", "wal", "restore-test").contains(kind)) {
            throw ApiProblem.badRequest("unknown verify kind '" + kind + "'", "use \"backups\", \"wal\" or \"restore-test\"");
        }
        ScheduledDatabase db = database(body.optionalText("database"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("kind", kind);
        String backup = body.optionalText("backup");
        if (backup != null) {
            params.put("backup", backup);
        }
        submit(ctx, new OperationRequest(OperationKind.VERIFY, db.name(), backup != null ? backup : db.name(), params));
    }

    /**
     * {@code POST /api/restores} {@code {backup, targetDatabase, overExisting, database?}}: over an
     * existing database it is destructive, so the guard is asked again with the destructive route
     * (fresh second factor) before anything is recorded.
     */
    void restore(Context ctx) {
        RequestBodies body = RequestBodies.of(ctx);
        String backup = body.text("backup", "latest");
        String targetDatabase = body.text("targetDatabase", "restaurant_ordering_restored");
        boolean overExisting = body.flag("overExisting");
        if (overExisting) {
            guard.admit(ctx, ApiRoutes.RESTORE_OVER_EXISTING);
        }
        ScheduledDatabase db = restoreServer(body.optionalText("database"), targetDatabase);
        submit(ctx, new OperationRequest(OperationKind.RESTORE, db.name(), targetDatabase,
                Map.of("backup", backup, "targetDatabase", targetDatabase, "overExisting", overExisting)));
    }

    /** {@code POST /api/expire} {@code {dryRun?}}. */
    void expire(Context ctx) {
        submit(ctx, new OperationRequest(OperationKind.EXPIRE, null, REPOSITORY, Map.of("dryRun", RequestBodies.of(ctx).flag("dryRun"))));
    }

    /** {@code POST /api/gc} {@code {dryRun?}}. */
    void gc(Context ctx) {
        submit(ctx, new OperationRequest(OperationKind.GC, null, REPOSITORY, Map.of("dryRun", RequestBodies.of(ctx).flag("dryRun"))));
    }

    /** {@code POST /api/sync} {@code {from?, to?, dryRun?}}: {@code to} names one copy or several, comma-separated. */
    void sync(Context ctx) {
        RequestBodies body = RequestBodies.of(ctx);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("dryRun", body.flag("dryRun"));
        String from = body.optionalText("from");
        String to = body.optionalText("to");
        if (from != null && !from.isBlank()) {
            params.put("from", from.strip());
        }
        if (to != null && !to.isBlank()) {
            params.put("to", to.strip());
        }
        submit(ctx, new OperationRequest(OperationKind.SYNC, null, REPOSITORY, params));
    }

    /** {@code POST /api/unlock} {@code {all?}}. */
    void unlock(Context ctx) {
        submit(ctx, new OperationRequest(OperationKind.UNLOCK, null, REPOSITORY, Map.of("all", RequestBodies.of(ctx).flag("all"))));
    }

    /** {@code POST /api/catalog/rebuild}. */
    void rebuildCatalog(Context ctx) {
        submit(ctx, new OperationRequest(OperationKind.CATALOG_REBUILD, null, REPOSITORY, Map.of()));
    }

    /** {@code GET /api/operations}: the newest first. */
    void list(Context ctx) {
        ApiErrors.json(ctx, registry.recent(LIST_LIMIT));
    }

    /** {@code GET /api/operations/{id}}. */
    void get(Context ctx) {
        ApiErrors.json(ctx, found(ctx.pathParam("id")));
    }

    /** {@code POST /api/operations/{id}/approve}: a second person starts a four-eyes operation. */
    void approve(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.attribute(ApiRouteTable.AUDIT_TARGET, describe(id));
        OperationRecord approved = registry.approve(id, ApiRouteTable.principal(ctx).user());
        ApiErrors.json(ctx, approved);
    }

    /** {@code POST /api/operations/{id}/reject}: a second person ends it unrun. */
    void reject(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.attribute(ApiRouteTable.AUDIT_TARGET, describe(id));
        ApiErrors.json(ctx, registry.reject(id, ApiRouteTable.principal(ctx).user()));
    }

    /** {@code GET /api/operations/{id}/events}: 404 for an unknown id, else the stream. */
    void events(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        found(id);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            // Javalin's SSE handler answers an empty 200 to such a request: say what is missing instead
            throw new ApiProblem(406, "the event stream is sent only to a client that accepts text/event-stream",
                    "send Accept: text/event-stream (EventSource does; with curl: -N -H 'Accept: text/event-stream'), "
                            + "or poll GET /api/operations/" + id);
        }
        new SseHandler(client -> stream(client, id)).handle(ctx);
    }

    /** Sends the state now, then every event until the operation ends; then closes the stream. */
    private void stream(SseClient client, String id) {
        AtomicBoolean closed = new AtomicBoolean();
        AutoCloseable[] subscription = new AutoCloseable[1];
        Runnable end = () -> {
            if (closed.compareAndSet(false, true)) {
                closeQuietly(subscription[0]);
                client.close();
            }
        };
        client.keepAlive();
        client.onClose(end);
        subscription[0] = registry.subscribe(id, event -> {
            synchronized (client) {
                if (!closed.get()) {
                    client.sendEvent(event.name(), json(event.operation()));
                }
            }
            if (event.name().equals(OperationEvent.DONE)) {
                end.run();
            }
        });
        OperationRecord now = found(id);
        synchronized (client) {
            if (!closed.get()) {
                client.sendEvent(OperationEvent.STATE, json(now));
                if (now.state().terminal()) {
                    client.sendEvent(OperationEvent.DONE, json(now));
                }
            }
        }
        if (now.state().terminal()) {
            end.run();
        }
    }

    private void submit(Context ctx, OperationRequest request) {
        Principal principal = ApiRouteTable.principal(ctx);
        ctx.attribute(ApiRouteTable.AUDIT_TARGET, request.target());
        OperationRecord op = registry.submit(request, principal.user(), principal.source(), fourEyes.needsApproval(request));
        ctx.attribute(ApiRouteTable.AUDIT_TARGET, request.target() + " (operation " + op.id() + ", " + op.state().word() + ")");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("operationId", op.id());
        answer.put("status", op.state().word());
        answer.put("links", op.links());
        ctx.status(202);
        ApiErrors.json(ctx, answer);
    }

    private OperationRecord found(String id) {
        return registry.find(id).orElseThrow(() -> ApiProblem.notFound("no operation " + id, "GET /api/operations lists the recent ones"));
    }

    private String describe(String id) {
        return registry.find(id).map(op -> "operation " + id + " (" + op.kind().word() + " of " + op.target() + ", requested by "
                + op.requestedBy() + ")").orElse("operation " + id);
    }

    /** The configured database by its short name; the only one when none is named. */
    private ScheduledDatabase database(String name) {
        List<ScheduledDatabase> all = config.scheduledDatabases();
        if (name == null) {
            if (all.size() == 1) {
                return all.get(0);
            }
            throw ApiProblem.badRequest("several databases are configured: name one", "send \"database\": one of " + names(all));
        }
        return all.stream().filter(db -> db.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiProblem.badRequest("no database '" + name + "' is configured", "the configured databases are: "
                        + names(all)));
    }

    /**
     * The configured database whose server a restore goes to: the one named, else the one whose
     * database the target is (so a restore over a four-eyes database is seen as one), else the only one.
     */
    private ScheduledDatabase restoreServer(String name, String targetDatabase) {
        if (name != null) {
            return database(name);
        }
        return config.scheduledDatabases().stream()
                .filter(db -> db.connection().name().equals(targetDatabase) || db.name().equals(targetDatabase)).findFirst()
                .orElseGet(() -> database(null));
    }

    private static String names(List<ScheduledDatabase> all) {
        return String.join(", ", all.stream().map(ScheduledDatabase::name).toList());
    }

    private static String json(OperationRecord op) {
        try {
            return RepositoryJson.mapper().writeValueAsString(op);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing to release beyond the listener list
            }
        }
    }
}
