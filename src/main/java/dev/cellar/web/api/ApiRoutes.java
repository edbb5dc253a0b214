package dev.cellar.web.api;

import dev.cellar.app.Warnings;
import dev.cellar.config.CellarConfig;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.http.HttpRoutes;
import dev.cellar.web.audit.WebAuditTrail;
import dev.cellar.web.auth.Permission;
import dev.cellar.web.auth.RouteGuard;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The REST API as one group of {@code cellar server}'s routes: the route table (every route, its
 * permission and its handler), the long operations, and the OpenAPI document made from the table.
 * Closing it stops the operations' executor (a running operation is marked interrupted at the next start).
 */
public final class ApiRoutes implements HttpRoutes, AutoCloseable {
    /**
     * {@code POST /api/restores} as the guard sees it when the body says {@code overExisting: true}:
     * destructive (fresh second factor). Not a route of its own: the restore handler asks the guard
     * with it before it records anything.
     */
    public static final ApiRoute RESTORE_OVER_EXISTING = new ApiRoute("POST", "/api/restores", Permission.RESTORE, true,
            "Restore a logical backup over an existing database", "restores");

    private static final String STRING = "string";
    private static final String BOOLEAN = "boolean";

    private final OperationRegistry registry;
    private final WebAuditTrail audit;
    private final RouteGuard guard;
    private final ReadEndpoints reads;
    private final OperationEndpoints operations;
    private final GdprEndpoints gdpr;
    private final AssuranceEndpoints assurance;
    private final Handler status;
    private final Handler history;
    private final ApiRouteTable table;

    /**
     * @param config   the server's configuration (databases, four-eyes, approval expiry)
     * @param catalog  the catalog's connection pool: alerts, and the {@code web_operation} table (migration V5)
     * @param registry the long operations (see {@link #operations(CellarConfig, Catalog, Warnings, Clock)})
     * @param audit    where state-changing calls are recorded (the repository's trail)
     * @param guard    who may call what (the auth part's sessions, tokens, CSRF and second factor)
     * @param warnings where the services' warnings go (the server's log)
     * @param status   answers {@code GET /api/status} (the dashboard part builds it); null answers 501
     * @param history  answers {@code GET /api/catalog/history} (the dashboard part builds it); null answers 501
     */
    public ApiRoutes(CellarConfig config, DataSource catalog, OperationRegistry registry, WebAuditTrail audit, RouteGuard guard,
            Clock clock, Warnings warnings, Handler status, Handler history) {
        this(config, catalog, registry, audit, guard, clock, warnings, status, history, java.util.Map.of());
    }

    /**
     * As above, with the routes other groups register (the auth part's login, users and tokens,
     * with their body fields) named in the OpenAPI document too.
     */
    public ApiRoutes(CellarConfig config, DataSource catalog, OperationRegistry registry, WebAuditTrail audit, RouteGuard guard,
            Clock clock, Warnings warnings, Handler status, Handler history,
            java.util.Map<dev.cellar.web.api.ApiRoute, java.util.Map<String, String>> registeredElsewhere) {
        this.registry = registry;
        this.audit = Objects.requireNonNull(audit, "audit");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.reads = new ReadEndpoints(config, new AlertsQuery(catalog), warnings, clock);
        this.operations = new OperationEndpoints(config, registry, guard);
        this.gdpr = new GdprEndpoints(config, warnings, clock);
        this.assurance = new AssuranceEndpoints(config, warnings, clock);
        this.status = status != null ? status : notYet("GET /api/status");
        this.history = history != null ? history : notYet("GET /api/catalog/history");
        this.table = table();
        registeredElsewhere.forEach(table::documentOnly);
    }

    /**
     * The operations registry a server runs: services called as the daemon calls them, two at a
     * time, kept in the catalog; what a previous run left running is marked interrupted now.
     */
    public static OperationRegistry operations(CellarConfig config, Catalog catalog, Warnings warnings, Clock clock) {
        OperationRegistry registry = new OperationRegistry(catalog.dataSource(),
                new ServiceOperations(config, catalog, warnings, ServiceOperations.LOCK_WAIT), clock, config.webApi().approvalExpiry());
        int interrupted = registry.recoverAfterRestart();
        if (interrupted > 0) {
            warnings.warn(interrupted + " operation(s) started through the REST API were running when the server stopped: marked "
                    + "interrupted\nHINT: GET /api/operations lists them; check the repository (cellar unlock, cellar verify) and start them again");
        }
        return registry;
    }

    public ApiRouteTable routeTable() {
        return table;
    }

    /** Registers every route of the table, guarded and audited, the error answers, and the OpenAPI document. */
    @Override
    public void addTo(RoutesConfig routes) {
        ApiErrors.addTo(routes);
        table.addTo(routes, guard, audit);
    }

    @Override
    public void close() {
        registry.close();
    }

    private ApiRouteTable table() {
        ApiRouteTable t = new ApiRouteTable();
        OpenApiDocument document = new OpenApiDocument(t);
        t.add(read("/api/openapi.json", null, "The OpenAPI 3 document of this API", "meta", ctx -> ApiErrors.json(ctx, document.json())));
        t.add(read("/api/status", Permission.READ, "Status board: each database and backup type OK/WARNING/CRITICAL", "status", status,
                "database"));
        t.add(read("/api/catalog/history", Permission.READ, "Backup size, stored bytes and duration per day", "status", history,
                "database", "days"));
        t.add(start("/api/catalog/rebuild", Permission.MAINTAIN, false, "Rebuild the catalog from the repository", "status",
                operations::rebuildCatalog, Map.of()));

        t.add(read("/api/backups", Permission.READ, "List the backups (as cellar list --json)", "backups", reads::backups, "database"));
        t.add(read("/api/backups/{id}", Permission.READ, "One backup's manifest (as cellar show --json)", "backups", reads::backup,
                "database"));
        t.add(start("/api/backups", Permission.RUN_BACKUP, false, "Start a backup of a database", "backups", operations::backup,
                fields("database", STRING, "type", STRING, "incremental", BOOLEAN)));
        t.add(start("/api/verify", Permission.RUN_VERIFY, false, "Start a verification or a restore test", "backups", operations::verify,
                fields("kind", STRING, "backup", STRING, "database", STRING)));
        t.add(start("/api/restores", Permission.RESTORE, false,
                "Start a restore (overExisting: true is destructive and may need a second person's approval)", "restores",
                operations::restore, fields("backup", STRING, "targetDatabase", STRING, "overExisting", BOOLEAN, "database", STRING)));

        t.add(start("/api/expire", Permission.MAINTAIN, true, "Expire what retention no longer keeps", "maintenance", operations::expire,
                fields("dryRun", BOOLEAN)));
        t.add(start("/api/gc", Permission.MAINTAIN, true, "Delete the chunks no backup uses", "maintenance", operations::gc,
                fields("dryRun", BOOLEAN)));
        t.add(start("/api/sync", Permission.MAINTAIN, false, "Copy to each repository copy what another holds and it lacks (as cellar repo sync)",
                "maintenance", operations::sync, fields("from", STRING, "to", STRING, "dryRun", BOOLEAN)));
        t.add(start("/api/unlock", Permission.MAINTAIN, true, "Remove stale repository locks (all: every lock)", "maintenance",
                operations::unlock, fields("all", BOOLEAN)));

        t.add(read("/api/schedules", Permission.READ, "Each job's schedule and next runs (as cellar schedule list --json)", "schedules",
                reads::schedules));
        t.add(read("/api/alerts", Permission.READ, "Alert incidents: open, acknowledged, resolved", "alerts", reads::alerts, "state"));
        t.add(new ApiRouteTable.Entry(new ApiRoute("POST", "/api/alerts/{id}/ack", Permission.ACK_ALERT, false,
                "Acknowledge an open alert", "alerts"), reads::acknowledge, List.of(), fields("note", STRING), false));
        t.add(read("/api/audit", Permission.READ_AUDIT, "The audit trail, chain checked (as cellar audit --json)", "audit", reads::audit,
                "from", "user", "operation"));

        t.add(read("/api/gdpr/erasures", Permission.READ_AUDIT, "GDPR erasure requests and their state (keyed hashes, never ids)",
                "gdpr", gdpr::list));
        t.add(new ApiRouteTable.Entry(new ApiRoute("POST", "/api/gdpr/erasures", Permission.ERASE_PERSONAL_DATA, false,
                "Record a GDPR erasure request, applied when due (dueDays 0..30, default 30)", "gdpr"), gdpr::request, List.of(),
                fields("database", STRING, "subject", STRING, "dueDays", "integer", "reason", STRING), false));
        t.add(new ApiRouteTable.Entry(new ApiRoute("POST", "/api/gdpr/erasures/now", Permission.ERASE_PERSONAL_DATA, true,
                "Erase a data subject at once (a session with a fresh second factor)", "gdpr"), gdpr::now, List.of(),
                fields("database", STRING, "subject", STRING, "reason", STRING), false));

        t.add(read("/api/drills", Permission.READ, "The stored drills' summaries, newest first (RTO, RPO, objectives, failures)",
                "drills", assurance::drills));
        t.add(read("/api/drills/{id}", Permission.READ, "One drill's report (report.json as stored)", "drills", assurance::drill));
        t.add(read("/api/drills/{id}/report.html", Permission.READ, "One drill's report as the stored HTML page", "drills",
                assurance::drillPage));
        t.add(read("/api/reports", Permission.READ_AUDIT, "The quarterly and annual audit reports, newest first", "reports",
                assurance::reports));
        t.add(read("/api/reports/{kind}/{id}", Permission.READ_AUDIT, "One audit report (report.json as stored)", "reports",
                assurance::report));
        t.add(read("/api/reports/{kind}/{id}/report.html", Permission.READ_AUDIT, "One audit report as the stored HTML page", "reports",
                assurance::reportPage));

        t.add(read("/api/operations", Permission.READ, "The newest long operations", "operations", operations::list));
        t.add(read("/api/operations/{id}", Permission.READ, "One operation: state, progress, result, error", "operations",
                operations::get));
        t.add(read("/api/operations/{id}/events", Permission.READ, "Server-sent events: progress, state, done", "operations",
                operations::events));
        // approving lets a destructive operation run: it asks what the operation itself would (a session with a fresh second factor)
        t.add(decision("/api/operations/{id}/approve", true, "Approve another person's four-eyes operation: it starts", operations::approve));
        t.add(decision("/api/operations/{id}/reject", false, "Reject another person's four-eyes operation: it ends unrun", operations::reject));
        return t;
    }

    private static ApiRouteTable.Entry read(String path, Permission permission, String summary, String tag, Handler handler,
            String... query) {
        return new ApiRouteTable.Entry(new ApiRoute("GET", path, permission, false, summary, tag), handler, List.of(query), Map.of(), false);
    }

    private static ApiRouteTable.Entry start(String path, Permission permission, boolean destructive, String summary, String tag,
            Handler handler, Map<String, String> body) {
        return new ApiRouteTable.Entry(new ApiRoute("POST", path, permission, destructive, summary, tag), handler, List.of(), body, true);
    }

    private static ApiRouteTable.Entry decision(String path, boolean destructive, String summary, Handler handler) {
        return new ApiRouteTable.Entry(new ApiRoute("POST", path, Permission.APPROVE, destructive, summary, "operations"), handler, List.of(),
                Map.of(), false);
    }

    private static Map<String, String> fields(String... nameAndType) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameAndType.length; i += 2) {
            fields.put(nameAndType[i], nameAndType[i + 1]);
        }
        return fields;
    }

    private static Handler notYet(String route) {
        return ctx -> ApiErrors.answer(ctx, 501, route + " is not served by this build",
                "the dashboard part answers it; until it is wired in, use cellar status --json");
    }
}
