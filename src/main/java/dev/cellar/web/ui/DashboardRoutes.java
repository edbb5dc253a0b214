package dev.cellar.web.ui;

import dev.cellar.config.CellarConfig;
import dev.cellar.error.CellarException;
import dev.cellar.repo.BackupManifest;
import dev.cellar.server.alert.AlertThresholds;
import dev.cellar.server.http.HttpRoutes;
import dev.cellar.server.metrics.MonitoringSnapshot;
import dev.cellar.server.schedule.JobPlan;
import dev.cellar.web.api.ApiRoute;
import dev.cellar.web.auth.Permission;
import dev.cellar.web.auth.Principal;
import dev.cellar.web.auth.RouteGuard;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The dashboard's pages (the UI part of the web contract) and its static files. Every page goes through the
 * {@link RouteGuard} like an API route; a request without a session is sent to {@code /login} rather than
 * given a bare 401. Pages only read; the buttons on them call the REST API.
 */
public final class DashboardRoutes implements HttpRoutes {
    /** The pages as guarded routes: what each needs, for the guard and the role table. */
    public static final List<ApiRoute> PAGES = List.of(
            page("/", Permission.READ, "status board"),
            page("/history", Permission.READ, "backup size, stored bytes and duration over time"),
            page("/alerts", Permission.READ, "alert incidents"),
            page("/schedules", Permission.READ, "scheduled jobs"),
            page("/backups", Permission.READ, "backups in the catalog"),
            page("/backups/{id}", Permission.READ, "one backup with its tables"),
            page("/restore", Permission.RESTORE, "restore wizard"),
            page("/audit", Permission.READ_AUDIT, "audit trail"),
            page("/drills", Permission.READ, "disaster-recovery drills: verdicts, RTO and RPO over time"),
            page("/reports", Permission.READ_AUDIT, "quarterly and annual audit reports"),
            page("/users", Permission.MANAGE_USERS, "users"),
            page("/operations/{id}", Permission.READ, "an operation's progress"));

    private final RouteGuard guard;
    private final Clock clock;
    private final int deviationPercent;
    private final StatusBoardService board;
    private final HistoryService history;
    private final AlertListing alerts;
    private final ScheduleBoard schedules;
    private final CatalogBackups backups;
    private final RepositoryReads repository;
    private final Pages pages = new Pages();
    private final boolean oidcLogin;

    /**
     * @param config     for the schedules (next runs, RPO objectives) and the alert thresholds (the size band)
     * @param catalog    the catalog's DataSource ({@code Catalog.dataSource()})
     * @param guard      the authentication part's guard
     * @param clock      the daemon's clock
     * @param observed   the daemon's newest observation ({@code CellarMetrics::latest}): WAL lag and copies
     * @param repository the backup manifests and the audit trail ({@link ContextRepositoryReads})
     */
    public DashboardRoutes(CellarConfig config, DataSource catalog, RouteGuard guard, Clock clock, Supplier<MonitoringSnapshot> observed,
            RepositoryReads repository) {
        this(config, catalog, guard, clock, observed, repository, false);
    }

    /** As above; {@code oidcLogin} shows the "log in with your company account" link on the login page. */
    public DashboardRoutes(CellarConfig config, DataSource catalog, RouteGuard guard, Clock clock, Supplier<MonitoringSnapshot> observed,
            RepositoryReads repository, boolean oidcLogin) {
        this.oidcLogin = oidcLogin;
        JobPlan plan = JobPlan.of(config);
        AlertThresholds thresholds = AlertThresholds.of(config.alerts());
        this.guard = guard;
        this.clock = clock;
        this.deviationPercent = thresholds.sizeDeviationPercent();
        this.board = new StatusBoardService(catalog, plan, observed, clock);
        this.history = new HistoryService(catalog, thresholds, clock);
        this.alerts = new AlertListing(catalog, clock);
        this.schedules = new ScheduleBoard(catalog, plan, clock);
        this.backups = new CatalogBackups(catalog);
        this.repository = repository;
    }

    /** The status board's service, for {@code GET /api/status}. */
    public StatusBoardService statusBoard() {
        return board;
    }

    /** The history's service, for {@code GET /api/catalog/history}. */
    public HistoryService historyService() {
        return history;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/webjars/<path>", ctx -> StaticFiles.serve(ctx, "META-INF/resources/webjars/", ctx.pathParam("path"), true));
        routes.get("/static/<path>", ctx -> StaticFiles.serve(ctx, "web/static/", ctx.pathParam("path"), false));
        routes.get("/login", ctx -> html(ctx, pages.render("login", Map.of("oidc", oidcLogin))));
        routes.get("/", ctx -> guarded(ctx, "/", (p, model) -> {
            PageModels.status(model, board.board());
            return "status";
        }, "Status", "status"));
        routes.get("/history", ctx -> guarded(ctx, "/history", (p, model) -> {
            historyPage(ctx, model);
            return "history";
        }, "History", "history"));
        routes.get("/alerts", ctx -> guarded(ctx, "/alerts", (p, model) -> {
            PageModels.alerts(model, alerts.recent());
            return "alerts";
        }, "Alerts", "alerts"));
        routes.get("/schedules", ctx -> guarded(ctx, "/schedules", (p, model) -> {
            PageModels.schedules(model, schedules.lines());
            return "schedules";
        }, "Schedules", "schedules"));
        routes.get("/backups", ctx -> guarded(ctx, "/backups", (p, model) -> {
            String database = blankToNull(ctx.queryParam("database"));
            model.put("database", database);
            model.put("listed", CatalogBackups.LISTED);
            model.put("backups", backups.newest(database).stream().map(PageModels::backup).toList());
            return "backups";
        }, "Backups", "backups"));
        routes.get("/backups/{id}", ctx -> guarded(ctx, "/backups/{id}", (p, model) -> {
            backupPage(ctx.pathParam("id"), model);
            return "backup";
        }, "Backup", "backups"));
        routes.get("/restore", ctx -> guarded(ctx, "/restore", (p, model) -> {
            String chosen = ctx.queryParam("backup");
            model.put("backups", backups.newest(null).stream().filter(b -> "ok".equals(b.status()) && b.expiredAt() == null).map(b -> {
                Map<String, Object> row = PageModels.backup(b);
                row.put("selected", b.backupId().equals(chosen));
                return row;
            }).toList());
            return "restore";
        }, "Restore", "restore"));
        routes.get("/audit", ctx -> guarded(ctx, "/audit", (p, model) -> {
            auditPage(ctx, model);
            return "audit";
        }, "Audit trail", "audit"));
        routes.get("/drills", ctx -> guarded(ctx, "/drills", (p, model) -> {
            PageModels.drills(model, repository.drills());
            return "drills";
        }, "Drills", "drills"));
        routes.get("/reports", ctx -> guarded(ctx, "/reports", (p, model) -> {
            PageModels.reports(model, repository.reports());
            return "reports";
        }, "Audit reports", "reports"));
        routes.get("/users", ctx -> guarded(ctx, "/users", (p, model) -> {
            model.put("roles", PageModels.roles());
            return "users";
        }, "Users", "users"));
        routes.get("/operations/{id}", ctx -> guarded(ctx, "/operations/{id}", (p, model) -> {
            model.put("id", ctx.pathParam("id"));
            return "operation";
        }, "Operation", "operation"));
    }

    private interface PageBody {
        /** Fills the model; returns the template's name. */
        String fill(Principal principal, Map<String, Object> model);
    }

    private void guarded(Context ctx, String path, PageBody body, String title, String nav) {
        Principal principal;
        try {
            principal = guard.admit(ctx, route(path));
        } catch (HttpResponseException refused) {
            if (refused.getStatus() == HttpStatus.UNAUTHORIZED.getCode()) {
                ctx.redirect("/login?next=" + URLEncoder.encode(ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()),
                        StandardCharsets.UTF_8), HttpStatus.FOUND);
                return;
            }
            throw refused;
        }
        Map<String, Object> model = PageModels.page(title, nav, principal, clock.instant());
        try {
            html(ctx, pages.render(body.fill(principal, model), model));
        } catch (CellarException e) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE);
            errorPage(ctx, model, "Cannot show this page", e.getMessage(), e.hint());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            errorPage(ctx, model, "Cannot show this page", e.getMessage(), "go back and correct the address or the filter");
        }
    }

    private void errorPage(Context ctx, Map<String, Object> model, String heading, String message, String hint) {
        model.put("heading", heading);
        model.put("message", message);
        model.put("hint", hint);
        ctx.html(pages.render("error", model));
    }

    private void historyPage(Context ctx, Map<String, Object> model) {
        List<String> databases = history.databases();
        String database = Optional.ofNullable(blankToNull(ctx.queryParam("database"))).orElse(databases.isEmpty() ? null : databases.get(0));
        int days = ctx.queryParam("days") == null ? 30 : Integer.parseInt(ctx.queryParam("days"));
        PageModels.history(model, databases, database, days, database == null ? null : history.history(database, days), deviationPercent);
    }

    private void backupPage(String id, Map<String, Object> model) {
        model.put("backupId", id);
        model.put("title", "Backup " + id);
        Optional<CatalogBackup> row = backups.byId(id);
        row.ifPresent(b -> model.put("row", PageModels.backup(b)));
        // the restore test runs on the backup's own database: with several configured, the API refuses a request without one
        Map<String, Object> verify = new java.util.LinkedHashMap<>(Map.of("backup", id, "kind", "restore-test"));
        row.map(CatalogBackup::database).ifPresent(database -> verify.put("database", database));
        model.put("verifyVals", Json.forScript(verify));
        try {
            Optional<BackupManifest> manifest = repository.manifest(id);
            manifest.ifPresentOrElse(m -> PageModels.tables(model, m), () -> model.put("manifestMissing", true));
        } catch (CellarException e) {
            // the catalog row is still worth showing when the repository is out of reach
            model.put("manifestError", e.getMessage() + (e.hint() == null ? "" : " — " + e.hint()));
        }
    }

    private void auditPage(Context ctx, Map<String, Object> model) {
        AuditFilter filter = new AuditFilter(ctx.queryParam("user"), ctx.queryParam("operation"), PageModels.date(ctx.queryParam("from")),
                PageModels.date(ctx.queryParam("to")));
        model.put("filter", PageModels.filter(filter));
        try {
            PageModels.audit(model, repository.audit(), filter);
        } catch (CellarException e) {
            model.put("intact", false);
            model.put("readError", e.getMessage() + (e.hint() == null ? "" : " — " + e.hint()));
        }
    }

    private static void html(Context ctx, String page) {
        // pages carry the user's data: never cached, never framed by another site
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.html(page);
    }

    private static ApiRoute route(String path) {
        return PAGES.stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
    }

    private static ApiRoute page(String path, Permission permission, String summary) {
        return new ApiRoute("GET", path, permission, false, summary, "dashboard");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
