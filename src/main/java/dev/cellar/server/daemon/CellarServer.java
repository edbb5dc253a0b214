package dev.cellar.server.daemon;

import dev.cellar.app.CatalogService;
import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.NeverPrompt;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.HostClock;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.error.CellarException;
import dev.cellar.repo.AuditedOperation;
import dev.cellar.server.alert.Alerts;
import dev.cellar.server.alert.IncidentTracker;
import dev.cellar.server.metrics.MonitoringSnapshot;
import dev.cellar.server.monitor.Observation;
import dev.cellar.server.monitor.ServerObservations;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.catalog.IngestResult;
import dev.cellar.server.http.CatalogProbe;
import dev.cellar.server.http.CellarHttpServer;
import dev.cellar.server.http.HealthRoutes;
import dev.cellar.server.http.MetricsRoutes;
import dev.cellar.server.http.SchedulerTickProbe;
import dev.cellar.server.metrics.BuildInfo;
import dev.cellar.server.metrics.CellarMetrics;
import dev.cellar.server.run.ClaimOutcome;
import dev.cellar.server.run.JobLedger;
import dev.cellar.server.run.JobRunners;
import dev.cellar.server.run.JobSlot;
import dev.cellar.server.run.RetryPolicy;
import dev.cellar.server.run.RunClaim;
import dev.cellar.server.run.RunEvents;
import dev.cellar.server.run.RunStatus;
import dev.cellar.server.run.RunSupervisor;
import dev.cellar.server.run.SchedulerLoop;
import dev.cellar.server.run.ServerNodes;
import dev.cellar.server.schedule.JobPlan;
import dev.cellar.web.WebLayer;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code cellar server}: one node of the daemon. Every tick it looks for due slots and claims them
 * in the catalog (so N nodes share the work and each slot runs once); every observation round it
 * brings the catalog up to date with the repository, evaluates the alerts, delivers what is due
 * and publishes the metrics. Stopping (SIGTERM) lets the runs going on finish within the grace
 * period and records the rest as interrupted.
 */
public final class CellarServer implements AutoCloseable {
    /**
     * @param node          this node's name in the catalog (unique among the nodes on one catalog)
     * @param tick          how often due slots are looked for
     * @param observeEvery  how often the catalog, alerts and metrics are brought up to date
     * @param shutdownGrace how long runs going on may take to finish when the daemon is stopped
     * @param retry         lease and attempts for runs whose node stopped answering
     * @param http          whether to serve /metrics and /health on server.listen
     */
    public record Options(String node, Duration tick, Duration observeEvery, Duration shutdownGrace, RetryPolicy retry, boolean http) {
        public static Options defaults(String node) {
            return new Options(node, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5), RetryPolicy.DEFAULT, true);
        }
    }

    private final CellarConfig config;
    private final Options options;
    private final Clock clock;
    private final ServerLog log;
    private final Catalog catalog;
    private final JobLedger ledger;
    private final ServerNodes nodes;
    private final RunSupervisor supervisor;
    private final SchedulerLoop loop;
    private final Alerts alerts;
    private final CellarMetrics metrics;
    private final CellarHttpServer http;
    /** The dashboard and the REST API; null when the node serves no HTTP. */
    private final WebLayer web;
    private final ServerObservations observations;
    /** One per cluster whose WAL the configuration asks the server to stream. */
    private final List<WalStreamSupervisor> walStreams;
    /** Looks for due slots; never waits behind an observation round. */
    private final ScheduledExecutorService ticker;
    /** Observation rounds, one at a time. */
    private final ScheduledExecutorService observer;
    private final AtomicReference<Instant> lastTick = new AtomicReference<>();
    /** The audit trail's listing when the catalog was last brought up to date: unchanged, no key is derived. */
    private String ingestedAuditMarker;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);

    private CellarServer(CellarConfig config, Options options, PrintStream out) {
        this.config = config;
        this.options = options;
        this.clock = HostClock.system();
        this.log = new ServerLog(out, clock, options.node());
        this.catalog = Catalog.open(config.catalog(), new NeverPrompt());
        WebLayer webLayer = null;
        try {
            log.info("catalog: " + catalog.describe());
            this.ledger = new JobLedger(catalog.dataSource(), clock);
            this.nodes = new ServerNodes(catalog.dataSource());
            JobPlan plan = JobPlan.of(config);
            ExpectedBackups.record(plan, catalog.dataSource());
            fillCatalogOnFirstStart();
            nodes.register(options.node(), hostName(), ProcessHandle.current().pid(), clock.instant());
            Instant firstStart = nodes.firstStart().orElse(clock.instant());
            JobRunners runners = new StandardJobRunners(config, plan, log::warn).register(new JobRunners());
            this.supervisor = new RunSupervisor(ledger, runners, options.retry(), new LoggedEvents(), clock);
            this.loop = new SchedulerLoop(plan.jobs(), ledger, supervisor, options.retry(), new LoggedEvents(), clock, options.node(), firstStart);
            this.alerts = Alerts.configured(config.alerts(), catalog.dataSource(), System.getenv(), clock);
            this.metrics = new CellarMetrics(clock, BuildInfo.current());
            this.observations = ServerObservations.configured(plan, catalog.dataSource(), System.getenv(), clock);
            this.walStreams = walStreams(config);
            webLayer = options.http() ? WebLayer.open(config, catalog, clock, metrics::latest, System.getenv(), log::warn) : null;
            this.web = webLayer;
            this.http = options.http() ? CellarHttpServer.serve(config.serverHttp().listen(), config.https(), System.getenv(), clock,
                    List.of(new MetricsRoutes(metrics),
                    new HealthRoutes(List.of(new SchedulerTickProbe(() -> Optional.ofNullable(lastTick.get()), clock,
                            config.serverHttp().healthTickAge()), new CatalogProbe(catalog.dataSource(), Duration.ofSeconds(2))))),
                    web.routes(), log::info)
                    : null;
            plan.jobs().forEach(job -> log.info("job " + job.key() + " (" + job.kind() + "): " + job.schedule().expression() + " "
                    + job.schedule().zone() + ", next " + job.schedule().next(clock.instant()).map(Instant::toString).orElse("never")));
            if (http != null) {
                log.info("serving /metrics and /health on " + (http.https() ? "https://" : "http://") + http.address());
            }
            this.ticker = singleThread("cellar-scheduler");
            this.observer = singleThread("cellar-observer");
        } catch (RuntimeException e) {
            if (webLayer != null) {
                webLayer.close();
            }
            catalog.close();
            throw e;
        }
    }

    /** Starts a node; it runs until {@link #close()}. */
    public static CellarServer start(CellarConfig config, Options options, PrintStream out) {
        AuditedOperation.leaveSignalsToTheProcess();
        CellarServer server = new CellarServer(config, options, out);
        server.ticker.execute(server::tickAndReschedule);
        server.observer.scheduleWithFixedDelay(server::observe, options.observeEvery().toMillis(), options.observeEvery().toMillis(),
                TimeUnit.MILLISECONDS);
        server.walStreams.forEach(WalStreamSupervisor::start);
        server.log.info("node " + options.node() + " started");
        return server;
    }

    /** Blocks until the node stops. */
    public void awaitStop() throws InterruptedException {
        done.await();
    }

    /** Stops the node: no new runs; the runs going on get the grace period, the rest are recorded as interrupted. */
    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        try {
            log.info("stopping: no new runs; " + supervisor.running() + " run(s) going on get up to "
                    + options.shutdownGrace().toSeconds() + " s to finish");
            ticker.shutdown();
            observer.shutdown();
            awaitTimers();
            supervisor.shutdown(options.shutdownGrace());
            supervisor.close();
            walStreams.forEach(WalStreamSupervisor::close);
            try {
                nodes.stopped(options.node());
            } catch (CellarException e) {
                log.warn("could not record the stop in the catalog: " + e.getMessage());
            }
            if (http != null) {
                http.close();
            }
            if (web != null) {
                web.close();
            }
            log.info("stopped");
        } finally {
            catalog.close();
            done.countDown();
        }
    }

    /**
     * Ticks, then sleeps until the next slot or one tick interval, whichever comes first: a job starts
     * within milliseconds of its slot, and retries and heartbeats are still looked at every interval.
     */
    private void tickAndReschedule() {
        if (stopped.get()) {
            return;
        }
        tick();
        long delay = options.tick().toMillis();
        try {
            Instant now = clock.instant();
            Optional<Instant> next = loop.nextSlot(now);
            if (next.isPresent()) {
                delay = Math.max(0, Math.min(delay, Duration.between(now, next.get()).toMillis() + 1));
            }
        } catch (RuntimeException e) {
            // a schedule that cannot say its next slot: the interval will do
        }
        try {
            ticker.schedule(this::tickAndReschedule, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the node is stopping
        }
    }

    private void tick() {
        try {
            loop.tick();
            nodes.heartbeat(options.node());
            lastTick.set(clock.instant());
        } catch (RuntimeException e) {
            log.error("scheduler tick failed: " + e.getMessage());
        }
    }

    /**
     * One observation round: the catalog brought up to date with the repository, then what the node
     * sees judged by the alerts and published as metrics, then the alerts that are due delivered.
     */
    private void observe() {
        try (CellarContext context = CellarContext.open(config, unattended())) {
            CatalogService service = new CatalogService(context, catalog);
            String marker = service.auditMarker();
            if (!marker.equals(ingestedAuditMarker)) {
                service.ingest();
                ingestedAuditMarker = marker;
            }
        } catch (RuntimeException e) {
            log.warn("could not bring the catalog up to date with the repository: " + e.getMessage());
        }
        try {
            Observation observation = observations.observe(new MonitoringSnapshot.Scheduler(Optional.ofNullable(lastTick.get()),
                    supervisor.running()));
            observation.notes().forEach(log::warn);
            IncidentTracker.TrackResult tracked = alerts.evaluate(observation.alerts());
            tracked.opened().forEach(incident -> log.warn("alert opened: " + incident));
            tracked.resolved().forEach(incident -> log.info("alert resolved: " + incident));
            metrics.publish(observation.metrics());
        } catch (java.sql.SQLException | RuntimeException e) {
            log.warn("observation failed: " + e.getMessage());
        }
        if (web != null) {
            try {
                web.purgeExpiredSessions();
            } catch (RuntimeException e) {
                log.warn("could not remove expired dashboard sessions: " + e.getMessage());
            }
        }
        try {
            alerts.deliver();
        } catch (java.sql.SQLException | RuntimeException e) {
            log.warn("could not deliver alerts: " + e.getMessage());
        }
    }

    private void fillCatalogOnFirstStart() {
        try (CellarContext context = CellarContext.open(config, unattended())) {
            CatalogService service = new CatalogService(context, catalog);
            IngestResult result = service.ingest();
            log.info("catalog brought up to date from the repository: " + result.inserted() + " new row(s)");
        } catch (RuntimeException e) {
            log.warn("could not read the repository at start (" + e.getMessage() + "); the catalog is filled once it can be");
        }
    }

    private ContextOptions unattended() {
        return new ContextOptions(false, null, StandardJobRunners.LOCK_WAIT, false, log::warn, new NeverPrompt(), System.getenv(), clock);
    }

    private void awaitTimers() {
        try {
            ticker.awaitTermination(30, TimeUnit.SECONDS);
            observer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitQuietly() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One stream per cluster (host and port) among the databases with schedule.wal-stream on. */
    private List<WalStreamSupervisor> walStreams(CellarConfig config) {
        java.util.Map<String, WalStreamSupervisor> byCluster = new java.util.LinkedHashMap<>();
        for (ScheduledDatabase db : config.scheduledDatabases()) {
            if (db.walStream()) {
                WalStreamSupervisor stream = new WalStreamSupervisor(config, db, catalog, log, clock);
                byCluster.putIfAbsent(stream.cluster(), stream);
            }
        }
        return List.copyOf(byCluster.values());
    }

    private static ScheduledExecutorService singleThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Logs what happens to runs and brings the catalog and alerts up to date after each. */
    private final class LoggedEvents implements RunEvents {
        @Override
        public void started(RunClaim claim) {
            log.info("run " + claim.slot().jobKey() + " for " + claim.slot().scheduledFor() + (claim.attempt() > 1 ? " (attempt "
                    + claim.attempt() + ")" : "") + (claim.slot().late() ? " LATE, standing for " + claim.slot().missedSlots()
                    + " missed slot(s)" : "") + " started");
        }

        @Override
        public void finished(RunClaim claim, RunStatus status, String summary) {
            log.info("run " + claim.slot().jobKey() + " for " + claim.slot().scheduledFor() + " " + status.column() + ": " + summary);
            try {
                observer.execute(CellarServer.this::observe);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the daemon is stopping: the next start brings the catalog up to date
            }
        }

        @Override
        public void skipped(JobSlot slot, ClaimOutcome.Skipped skipped) {
            log.warn("slot " + slot.scheduledFor() + " of " + slot.jobKey() + " skipped: the run for " + skipped.runningSlot()
                    + " is still going on node " + skipped.runningNode());
        }

        @Override
        public void retried(RunClaim retry) {
            log.warn("retrying " + retry.slot().jobKey() + " for " + retry.slot().scheduledFor() + " (attempt " + retry.attempt()
                    + "): its node stopped answering");
        }
    }
}
