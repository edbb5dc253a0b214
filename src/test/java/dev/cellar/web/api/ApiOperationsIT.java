package dev.cellar.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.ListService;
import dev.cellar.app.NeverPrompt;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.HostClock;
import dev.cellar.config.ListenAddress;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.http.CellarHttpServer;
import dev.cellar.web.audit.RepositoryWebAuditTrail;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API's long operations over real HTTP, on a real PostgreSQL and a real repository: a
 * backup started by POST, polled and streamed to its end and listed as 'cellar list' lists it; a
 * restore over a four-eyes database that waits for a second person (never its requester), or is
 * rejected; every state-changing call in the repository's audit trail with its user and address.
 */
class ApiOperationsIT {
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("api-it-passphrase");
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    private static LocalCluster cluster;
    private static CellarConfig config;
    private static Catalog catalog;
    private static CellarContext auditContext;
    private static OperationRegistry registry;
    private static ApiRoutes api;
    private static CellarHttpServer server;
    private static String base;
    private static final List<String> warnings = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void clusterRepositoryAndServer() throws IOException {
        Path folder = TestFolders.create("cellar-api-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-api-it-pg"));
        cluster.createDatabase("shop");
        cluster.execute("shop", "CREATE TABLE orders (id int PRIMARY KEY, dish text NOT NULL); "
                + "INSERT INTO orders SELECT g, 'dish ' || g % 40 FROM generate_series(1, 2000) g");
        cluster.createDatabase("ledger");
        cluster.execute("ledger", "CREATE TABLE entries (id int PRIMARY KEY, amount numeric NOT NULL); "
                + "INSERT INTO entries SELECT g, g * 1.5 FROM generate_series(1, 500) g");
        cluster.createDatabase("cellar_catalog");
        Path passphrase = Files.writeString(folder.resolve("passphrase"), PASSPHRASE);
        Files.setPosixFilePermissions(passphrase, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String connection = "    host: " + cluster.host() + "\n    port: " + cluster.port() + "\n    user: " + cluster.superuser() + "\n";
        Path yaml = Files.writeString(folder.resolve("cellar.yaml"), "repository:\n  path: " + folder.resolve("repo") + "\n"
                + "  passphrase-file: " + passphrase + "\n"
                + "backup:\n  jobs: 1\n  work-dir: " + Files.createDirectories(folder.resolve("work")) + "\n"
                + "catalog:\n  url: " + cluster.jdbcUrl("cellar_catalog") + "\n  user: " + cluster.superuser() + "\n"
                + "databases:\n  shop:\n" + connection + "  ledger:\n" + connection + "    four-eyes: true\n", StandardCharsets.UTF_8);
        config = ConfigLoader.load(yaml, Map.of(), Map.of());
        auditContext = CellarContext.open(config, new ContextOptions(false, null, Duration.ofSeconds(30), false, warnings::add,
                new NeverPrompt(), Map.of(), HostClock.system()));
        Repository.init(auditContext.storage(), RepositorySecret.passphrase(PASSPHRASE.toCharArray()), ChunkerParameters.DEFAULT,
                auditContext.hostClock());
        Repository repository = auditContext.openRepository();
        catalog = Catalog.open(config.catalog(), new NeverPrompt());
        Clock clock = Clock.systemUTC();
        RepositoryWebAuditTrail audit = new RepositoryWebAuditTrail(() -> repository, warnings::add);
        registry = ApiRoutes.operations(config, catalog, warnings::add, clock);
        api = new ApiRoutes(config, catalog.dataSource(), registry, audit, new HeaderGuard(clock, audit), clock, warnings::add, null, null);
        server = CellarHttpServer.start(new ListenAddress("127.0.0.1", 0), List.of(api));
        base = "http://127.0.0.1:" + server.address().port();
    }

    @AfterAll
    static void stopAll() {
        if (server != null) {
            server.close();
        }
        if (api != null) {
            api.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (auditContext != null) {
            auditContext.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void backupStartedByPostRunsToSucceededIsStreamedAndListedAsTheCliListsIt() throws Exception {
        JsonNode accepted = call("POST", "/api/backups", "olga", "operator", "{\"database\": \"shop\", \"type\": \"logical\"}", 202);
        assertThat(accepted.path("status").asText()).isEqualTo("running");
        String id = accepted.path("operationId").asText();
        assertThat(accepted.path("links").path("events").asText()).isEqualTo("/api/operations/" + id + "/events");

        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> stream = follow(id, "olga", "operator", events, new CountDownLatch(1));
        JsonNode done = pollUntilEnded(id, "olga", "operator");
        stream.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("requestedBy").asText()).isEqualTo("olga");
        String backupId = done.path("result").path("manifest").path("id").asText();
        assertThat(backupId).isNotBlank();
        assertThat(events).first().isEqualTo("state");
        assertThat(events).last().isEqualTo("done");

        JsonNode listed = call("GET", "/api/backups?database=shop", "audrey", "auditor", null, 200);
        try (CellarContext context = CellarContext.open(config, new ContextOptions(true, null, Duration.ZERO, false, warnings::add,
                new NeverPrompt(), Map.of(), HostClock.system()))) {
            ListService.Listing listing = new ListService(context).list();
            List<ListService.BackupSummary> shop = listing.backups().stream().filter(b -> "shop".equals(b.database())).toList();
            // through text, as a client reads both: a tree made from the record holds longs where the parsed one holds ints
            JsonNode expected = RepositoryJson.mapper().readTree(RepositoryJson.mapper()
                    .writeValueAsString(new ListService.BackupListing(shop, listing.damaged())));
            assertThat(listed).isEqualTo(expected);
        }
        assertThat(listed.path("backups").findValuesAsText("id")).contains(backupId);
        JsonNode shown = call("GET", "/api/backups/" + backupId, "audrey", "auditor", null, 200);
        assertThat(shown.path("database").asText()).isEqualTo("shop");

        AuditRecord started = auditRecords("api POST /api/backups").getLast();
        assertThat(started.user()).isEqualTo("olga");
        assertThat(started.host()).isEqualTo("127.0.0.1");
        assertThat(started.result()).isEqualTo("ok");
        assertThat(started.target()).contains("shop").contains(id);
    }

    @Test
    void restoreOverAFourEyesDatabaseWaitsForASecondPersonNeverTheRequester() throws Exception {
        JsonNode backup = pollUntilEnded(call("POST", "/api/backups", "dora", "dba", "{\"database\": \"ledger\"}", 202)
                .path("operationId").asText(), "dora", "dba");
        assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("succeeded");
        cluster.execute("ledger", "DELETE FROM entries WHERE id > 100");

        String restore = "{\"backup\": \"latest\", \"targetDatabase\": \"ledger\", \"overExisting\": true}";
        assertThat(call("POST", "/api/restores", "olga", "operator", restore, 403).path("status").asInt()).isEqualTo(403);
        call("POST", "/api/restores", "dora", "dba", restore, 403, null); // no fresh second factor
        JsonNode accepted = call("POST", "/api/restores", "dora", "dba", restore, 202);
        assertThat(accepted.path("status").asText()).isEqualTo("awaiting-approval");
        String id = accepted.path("operationId").asText();
        JsonNode waiting = call("GET", "/api/operations/" + id, "audrey", "auditor", null, 200);
        assertThat(waiting.path("state").asText()).isEqualTo("awaiting-approval");
        assertThat(waiting.path("approvalExpiresAt").asText()).isNotBlank();

        JsonNode own = call("POST", "/api/operations/" + id + "/approve", "dora", "dba", null, 403);
        assertThat(own.path("error").asText()).contains("dora requested operation");
        call("POST", "/api/operations/" + id + "/approve", "olga", "operator", null, 403); // no APPROVE permission

        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch connected = new CountDownLatch(1);
        CompletableFuture<Void> stream = follow(id, "audrey", "auditor", events, connected);
        assertThat(connected.await(10, TimeUnit.SECONDS)).as("the event stream answered").isTrue();

        JsonNode approved = call("POST", "/api/operations/" + id + "/approve", "bob", "dba", null, 200);
        assertThat(approved.path("state").asText()).isEqualTo("running");
        JsonNode done = pollUntilEnded(id, "audrey", "auditor");
        stream.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("requestedBy").asText()).isEqualTo("dora");
        assertThat(done.path("approvedBy").asText()).isEqualTo("bob");
        assertThat(events).contains("progress").endsWith("done");
        try (var c = cluster.connect("ledger"); var rs = c.createStatement().executeQuery("SELECT count(*) FROM entries")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows back after the restore over the database").isEqualTo(500);
        }

        List<AuditRecord> approvals = auditRecords("api POST /api/operations/{id}/approve");
        assertThat(approvals).anySatisfy(r -> {
            assertThat(r.user()).isEqualTo("bob");
            assertThat(r.result()).isEqualTo("ok");
            assertThat(r.target()).contains(id).contains("requested by dora");
        });
        assertThat(approvals).anySatisfy(r -> {
            assertThat(r.user()).isEqualTo("dora");
            assertThat(r.result()).isEqualTo("failed");
        });
        assertThat(auditRecords("web.denied")).anySatisfy(r -> assertThat(r.user()).isEqualTo("olga"));
        assertThat(auditRecords("api POST /api/restores")).anySatisfy(r -> {
            assertThat(r.user()).isEqualTo("dora");
            assertThat(r.host()).isEqualTo("127.0.0.1");
            assertThat(r.result()).isEqualTo("ok");
            assertThat(r.target()).contains("ledger").contains(id).contains("awaiting-approval");
        });
    }

    @Test
    void aRejectedFourEyesOperationEndsUnrun() throws Exception {
        JsonNode accepted = call("POST", "/api/gc", "dora", "dba", "{}", 202, "30");
        assertThat(accepted.path("status").asText()).isEqualTo("awaiting-approval");
        String id = accepted.path("operationId").asText();
        call("POST", "/api/operations/" + id + "/reject", "dora", "dba", null, 403);
        JsonNode rejected = call("POST", "/api/operations/" + id + "/reject", "carl", "admin", null, 200);
        assertThat(rejected.path("state").asText()).isEqualTo("rejected");
        assertThat(rejected.path("approvedBy").asText()).isEqualTo("carl");
        assertThat(rejected.path("startedAt").isNull()).isTrue();
        JsonNode again = call("POST", "/api/operations/" + id + "/approve", "bob", "dba", null, 409);
        assertThat(again.path("error").asText()).contains("rejected");
        assertThat(auditRecords("gc")).as("gc never ran").isEmpty();
        assertThat(auditRecords("api POST /api/gc")).anySatisfy(r -> {
            assertThat(r.user()).isEqualTo("dora");
            assertThat(r.detail()).contains("role dba");
        });
        assertThat(auditRecords("api POST /api/operations/{id}/reject")).anySatisfy(r -> {
            assertThat(r.user()).isEqualTo("carl");
            assertThat(r.result()).isEqualTo("ok");
        });
        JsonNode list = call("GET", "/api/operations", "audrey", "auditor", null, 200);
        assertThat(list.findValuesAsText("id")).contains(id);
    }

    @Test
    void repositoryWideOperationsRunThroughTheServicesADryRunAtOnceAnUnlockAfterApproval() throws Exception {
        JsonNode dry = call("POST", "/api/expire", "dora", "dba", "{\"dryRun\": true}", 202, "30");
        assertThat(dry.path("status").asText()).as("a dry run changes nothing: no approval").isEqualTo("running");
        JsonNode expired = pollUntilEnded(dry.path("operationId").asText(), "dora", "dba");
        assertThat(expired.path("state").asText()).as(expired.toString()).isEqualTo("succeeded");
        assertThat(expired.path("result").isObject()).isTrue();

        JsonNode unlock = call("POST", "/api/unlock", "dora", "dba", "{}", 202, "30");
        assertThat(unlock.path("status").asText()).isEqualTo("awaiting-approval");
        String id = unlock.path("operationId").asText();
        call("POST", "/api/operations/" + id + "/approve", "carl", "admin", null, 200);
        JsonNode done = pollUntilEnded(id, "dora", "dba");
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("result").isArray()).as("as 'cellar unlock --json': the locks removed").isTrue();

        // the sync runs the same service as 'cellar repo sync': with one copy configured, it says so as the CLI does
        JsonNode sync = call("POST", "/api/sync", "dora", "dba", "{\"dryRun\": true}", 202, "30");
        assertThat(sync.path("status").asText()).as("sync only adds: no approval").isEqualTo("running");
        JsonNode synced = pollUntilEnded(sync.path("operationId").asText(), "dora", "dba");
        assertThat(synced.path("state").asText()).as(synced.toString()).isEqualTo("failed");
        assertThat(synced.path("error").asText()).contains("repo sync needs at least two copies");
        assertThat(auditRecords("unlock")).as("the service's own record").isNotEmpty();
    }

    @Test
    void anOperationRunningWhenTheServerStoppedIsMarkedInterruptedAtTheNextStart() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (OperationRegistry first = new OperationRegistry(catalog.dataSource(), (request, progress) -> {
            release.await(30, TimeUnit.SECONDS);
            return Map.of();
        }, Clock.systemUTC(), Duration.ofHours(1))) {
            OperationRecord running = first.submit(new OperationRequest(OperationKind.VERIFY, "shop", "shop", Map.of("kind", "wal")),
                    "olga", "127.0.0.1", false);
            OperationRegistry restarted = new OperationRegistry(catalog.dataSource(), (request, progress) -> null, Clock.systemUTC(),
                    Duration.ofHours(1));
            assertThat(restarted.recoverAfterRestart()).isPositive();
            assertThat(restarted.find(running.id()).orElseThrow().state()).isEqualTo(OperationState.INTERRUPTED);
            restarted.close();
            release.countDown();
        }
    }

    @Test
    void errorsComeInTheContractsShape() throws Exception {
        JsonNode unknown = call("GET", "/api/operations/no-such-id", "audrey", "auditor", null, 404);
        assertThat(unknown.path("error").asText()).contains("no operation no-such-id");
        assertThat(unknown.path("hint").asText()).isNotBlank();
        JsonNode anonymous = call("GET", "/api/backups", null, null, null, 401);
        assertThat(anonymous.path("status").asInt()).isEqualTo(401);
        JsonNode badType = call("POST", "/api/backups", "olga", "operator", "{\"database\": \"shop\", \"type\": \"weekly\"}", 400);
        assertThat(badType.path("error").asText()).contains("weekly");
        JsonNode document = call("GET", "/api/openapi.json", null, null, null, 200);
        assertThat(document.path("paths").has("/api/operations/{id}/events")).isTrue();
    }

    @Test
    void alertsAreListedAndAcknowledgedOnceSchedulesAndAuditTrailRead() throws Exception {
        long incident;
        try (var c = catalog.dataSource().getConnection(); var ps = c.prepareStatement("INSERT INTO cellar.alert_incident (incident_key, "
                + "condition, severity, subject, summary, details, action, opened_at, last_notified_at) VALUES ('rpo:shop', 'rpo', "
                + "'critical', 'shop', 'shop: last backup 26 h ago', 'details', 'run a backup', now(), now()) RETURNING id");
                var rs = ps.executeQuery()) {
            rs.next();
            incident = rs.getLong(1);
        }
        assertThat(call("GET", "/api/alerts?state=open", "audrey", "auditor", null, 200).findValuesAsText("id"))
                .contains(Long.toString(incident));
        call("POST", "/api/alerts/" + incident + "/ack", "audrey", "auditor", "{}", 403);
        JsonNode acked = call("POST", "/api/alerts/" + incident + "/ack", "olga", "operator", "{\"note\": \"on it\"}", 200);
        assertThat(acked.path("state").asText()).isEqualTo("acknowledged");
        assertThat(acked.path("acknowledgedBy").asText()).isEqualTo("olga");
        assertThat(call("POST", "/api/alerts/" + incident + "/ack", "bob", "dba", "{}", 409).path("error").asText()).contains("olga");
        assertThat(call("GET", "/api/alerts?state=acknowledged", "audrey", "auditor", null, 200).findValuesAsText("id"))
                .contains(Long.toString(incident));
        assertThat(auditRecords("api POST /api/alerts/{id}/ack")).anySatisfy(r -> {
            assertThat(r.user()).isEqualTo("olga");
            assertThat(r.target()).isEqualTo("alert " + incident);
        });

        assertThat(call("GET", "/api/schedules", "audrey", "auditor", null, 200).findValuesAsText("key")).contains("full:shop", "full:ledger");
        call("GET", "/api/audit", "olga", "operator", null, 403);
        JsonNode trail = call("GET", "/api/audit?operation=api%20POST%20/api/alerts", "audrey", "auditor", null, 200);
        assertThat(trail.path("records").findValuesAsText("user")).as("the acknowledgement and the refused second one").containsOnly("olga", "bob");
        JsonNode noStream = call("GET", "/api/operations/" + registry.recent(1).getFirst().id() + "/events", "audrey", "auditor", null, 406);
        assertThat(noStream.path("hint").asText()).contains("text/event-stream");
    }

    @Test
    void aSecondExclusiveOperationThatCannotTakeTheLockNamesTheOneHoldingIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (OperationRegistry registry = new OperationRegistry(catalog.dataSource(), (request, progress) -> {
            if (request.kind() == OperationKind.GC) {
                release.await(30, TimeUnit.SECONDS);
                return Map.of();
            }
            throw new dev.cellar.error.CellarException(dev.cellar.error.ErrorCode.LOCKED, "repository is locked by gc on host-a",
                    "wait for it");
        }, Clock.systemUTC(), Duration.ofHours(1))) {
            OperationRecord gc = registry.submit(new OperationRequest(OperationKind.GC, null, "repository", Map.of("dryRun", false)),
                    "dora", "127.0.0.1", false);
            OperationRecord expire = registry.submit(new OperationRequest(OperationKind.EXPIRE, null, "repository", Map.of("dryRun", false)),
                    "bob", "127.0.0.1", false);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            OperationRecord failed = registry.find(expire.id()).orElseThrow();
            while (failed.state() == OperationState.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(20);
                failed = registry.find(expire.id()).orElseThrow();
            }
            assertThat(failed.state()).isEqualTo(OperationState.FAILED);
            assertThat(failed.error()).contains("held by operation " + gc.id()).contains("gc, requested by dora")
                    .contains("repository is locked by gc on host-a");
            release.countDown();
        }
    }

    private static JsonNode call(String method, String path, String user, String role, String body, int status) throws Exception {
        return call(method, path, user, role, body, status, "10");
    }

    private static JsonNode call(String method, String path, String user, String role, String body, int status, String secondFactorAge)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("X-Test-User", user).header("X-Test-Role", role);
            if (secondFactorAge != null) {
                request.header("X-Test-Second-Factor-Age", secondFactorAge);
            }
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + " as " + user + ": " + response.body()).isEqualTo(status);
        return RepositoryJson.mapper().readTree(response.body());
    }

    private static JsonNode pollUntilEnded(String id, String user, String role) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            JsonNode op = call("GET", "/api/operations/" + id, user, role, null, 200);
            if (!List.of("running", "awaiting-approval").contains(op.path("state").asText()) || System.nanoTime() > deadline) {
                return op;
            }
            Thread.sleep(100);
        }
    }

    /** Reads the operation's event stream until its done event, noting each event's name. */
    private static CompletableFuture<Void> follow(String id, String user, String role, List<String> events, CountDownLatch first) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/operations/" + id + "/events"))
                .header("Accept", "text/event-stream").header("X-Test-User", user).header("X-Test-Role", role).GET().build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            try (Stream<String> lines = response.body()) {
                lines.takeWhile(line -> events.isEmpty() || !events.getLast().equals("done") || !line.isEmpty())
                        .filter(line -> line.startsWith("event:"))
                        .forEach(line -> {
                            events.add(line.substring("event:".length()).trim());
                            first.countDown();
                        });
            }
        });
    }

    private static List<AuditRecord> auditRecords(String operation) {
        Repository repository = auditContext.openRepository();
        return repository.audit().read(0).records().stream().filter(r -> r.operation().equals(operation)).toList();
    }
}
