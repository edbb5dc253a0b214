package dev.cellar.web;

import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.Warnings;
import dev.cellar.config.CellarConfig;
import dev.cellar.repo.Repository;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.http.HttpRoutes;
import dev.cellar.server.metrics.MonitoringSnapshot;
import dev.cellar.web.api.ApiErrors;
import dev.cellar.web.api.ApiRoutes;
import dev.cellar.web.api.OperationRegistry;
import dev.cellar.web.audit.RepositoryWebAuditTrail;
import dev.cellar.web.audit.WebAuditTrail;
import dev.cellar.web.auth.Argon2idPasswords;
import dev.cellar.web.auth.AuthRoutes;
import dev.cellar.web.auth.WebAuth;
import dev.cellar.web.auth.WebGuard;
import dev.cellar.web.oidc.OidcRoutes;
import dev.cellar.web.ui.ContextRepositoryReads;
import dev.cellar.web.ui.DashboardRoutes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dashboard and the REST API of one {@code cellar server}, wired: the repository's audit trail
 * the web writes to, users and sessions on the catalog, the guard every route passes, the long
 * operations, OIDC when configured, and the pages. The daemon builds it once and hands its
 * {@link #routes()} to the HTTP server; a test does the same on a port of its own.
 */
public final class WebLayer implements AutoCloseable {
    private final WebAuth auth;
    private final ApiRoutes api;
    private final DashboardRoutes dashboard;
    private final List<HttpRoutes> routes;
    private final KeptRepository repository;

    private WebLayer(WebAuth auth, ApiRoutes api, DashboardRoutes dashboard, List<HttpRoutes> routes, KeptRepository repository) {
        this.auth = auth;
        this.api = api;
        this.dashboard = dashboard;
        this.routes = routes;
        this.repository = repository;
    }

    /**
     * @param catalog  a migrated catalog (users, sessions, operations, and what the pages show)
     * @param observed the daemon's newest observation (WAL lag, copies behind) for the status board
     * @param env      where secrets configured by variable name are read (the OIDC client secret)
     * @param warnings the server's log
     */
    public static WebLayer open(CellarConfig config, Catalog catalog, Clock clock, Supplier<MonitoringSnapshot> observed,
            Map<String, String> env, Warnings warnings) {
        return open(config, catalog, clock, observed, env, warnings, WebGuard.DEFAULT_REFUSALS_PER_MINUTE, new Argon2idPasswords());
    }

    /**
     * As {@link #open(CellarConfig, Catalog, Clock, Supplier, Map, Warnings)}, with the number of
     * refusals per caller and minute recorded one by one, and the password hasher, chosen: a test
     * that must find each of its refusals in the audit trail raises the first, and may lower the
     * cost of the second.
     */
    public static WebLayer open(CellarConfig config, Catalog catalog, Clock clock, Supplier<MonitoringSnapshot> observed,
            Map<String, String> env, Warnings warnings, int refusalsPerMinute, Argon2idPasswords passwords) {
        KeptRepository repository = new KeptRepository(config, warnings);
        try {
            WebAuditTrail trail = new RepositoryWebAuditTrail(repository::get, warnings::warn);
            WebAuth auth = WebAuth.on(catalog.dataSource(), trail, clock, config.webAuth(), refusalsPerMinute, passwords);
            DashboardRoutes dashboard = new DashboardRoutes(config, catalog.dataSource(), auth.guard(), clock, observed,
                    new ContextRepositoryReads(() -> CellarContext.open(config, readOnly(warnings))), config.oidc().enabled());
            OperationRegistry operations = ApiRoutes.operations(config, catalog, warnings, clock);
            ApiRoutes api = new ApiRoutes(config, catalog.dataSource(), operations, trail, auth.guard(), clock, warnings,
                    ctx -> ApiErrors.json(ctx, dashboard.statusBoard().board()),
                    new HistoryEndpoint(dashboard.historyService()), AuthRoutes.BODIES);
            List<HttpRoutes> routes = new ArrayList<>(List.of(auth.routes(), api, dashboard));
            OidcRoutes.configured(config.oidc(), env, clock, new OidcSessions(auth.sessions(), clock), trail).ifPresent(routes::add);
            return new WebLayer(auth, api, dashboard, List.copyOf(routes), repository);
        } catch (RuntimeException e) {
            repository.close();
            throw e;
        }
    }

    /** Every route group of the dashboard and the API, to serve on the server's one HTTP server. */
    public List<HttpRoutes> routes() {
        return routes;
    }

    public WebAuth auth() {
        return auth;
    }

    public ApiRoutes api() {
        return api;
    }

    /** Ends sessions that expired; the daemon calls it now and then so the table stays small. */
    public int purgeExpiredSessions() {
        return auth.sessions().purgeExpired();
    }

    /** Stops the operations registry (runs going on are marked interrupted) and closes the repository the trail writes to. */
    @Override
    public void close() {
        try {
            api.close();
        } finally {
            repository.close();
        }
    }

    private static ContextOptions readOnly(Warnings warnings) {
        ContextOptions unattended = ContextOptions.unattended(warnings, Duration.ZERO);
        return new ContextOptions(true, null, Duration.ZERO, false, warnings, unattended.prompter(), unattended.env(), unattended.hostClock());
    }

    /**
     * The repository the web's audit records are appended to, opened at first use and kept open
     * (its keys are derived once); a repository that cannot be opened is tried again at the next record.
     */
    private static final class KeptRepository implements AutoCloseable {
        private final CellarConfig config;
        private final Warnings warnings;
        private CellarContext context;
        private Repository repository;

        KeptRepository(CellarConfig config, Warnings warnings) {
            this.config = config;
            this.warnings = warnings;
        }

        synchronized Repository get() {
            if (repository == null) {
                CellarContext opened = CellarContext.open(config, ContextOptions.unattended(warnings, Duration.ofSeconds(30)));
                try {
                    repository = opened.openRepository();
                    context = opened;
                } catch (RuntimeException e) {
                    opened.close();
                    throw e;
                }
            }
            return repository;
        }

        @Override
        public synchronized void close() {
            if (context != null) {
                context.close();
                context = null;
                repository = null;
            }
        }
    }
}
