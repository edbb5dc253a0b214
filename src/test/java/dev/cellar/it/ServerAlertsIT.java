package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.cellar.config.ConfigKey;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.ProcessRunner;
import dev.cellar.server.metrics.RunningPrometheus;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Alerts through the real daemon: a {@code cellar server} process with e-mail to a real SMTP
 * server (GreenMail) and a signed webhook to a real HTTP receiver. On a test clock 60 times faster
 * than real time (a full backup every 5 minutes, so every 5 s): a backup a third smaller than the
 * ones before it; the database stopped (one e-mail and one webhook however often the backup fails,
 * one "resolved" of each once it is back); the repository's small tmpfs filling up. On real time,
 * a second daemon watches a cluster whose WAL stops arriving (archive_command broken): the
 * archiver's failures, then the WAL delay and the true RPO past its objective; Debian's Prometheus
 * scrapes that daemon's /metrics and sees the same.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerAlertsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "Till";
    private static final String SECRET = dev.cellar.secrets.KnownSecrets.register("server-alerts-it-webhook-secret");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int DAEMON_B_CLOCK_SCALE = 4;

    private static Path workDir;
    private static LocalCluster catalogCluster;
    private static LocalCluster shop;
    private static GreenMail smtp;
    private static HttpServer receiver;
    private static final List<JsonNode> webhooks = new CopyOnWriteArrayList<>();
    private static final List<Process> nodes = new ArrayList<>();
    private static Path repository;
    private static boolean tmpfs;
    private static CellarCli cli;
    private static PGSimpleDataSource catalogA;

    @BeforeAll
    static void startEverything() throws Exception {
        workDir = TestFolders.create("cellar-server-alerts");
        catalogCluster = LocalCluster.start(TestFolders.create("cellar-server-alerts-catalog"));
        catalogCluster.createDatabase("catalog_a");
        catalogCluster.createDatabase("catalog_b");
        shop = LocalCluster.start(TestFolders.create("cellar-server-alerts-shop"));
        shop.createDatabase(DATABASE);
        shop.execute(DATABASE, "CREATE TABLE sales (id int PRIMARY KEY, item text NOT NULL, amount numeric(10,2) NOT NULL);"
                + " INSERT INTO sales SELECT g, 'item number ' || g, g * 0.75 FROM generate_series(1, 30000) g");
        int smtpPort = freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            webhooks.add(JSON.readTree(body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        Path mount = Files.createDirectories(workDir.resolve("repository-disk"));
        tmpfs = ProcessRunner.runningAsRoot();
        if (tmpfs) {
            ProcessRunner.requireSuccess(List.of("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString()), Map.of(), null);
        }
        repository = mount.resolve("repo");
        catalogA = dataSource("catalog_a");
        Map<String, String> env = new HashMap<>(Map.of(
                "CELLAR_PASSPHRASE", "server-alerts-it",
                ConfigKey.REPOSITORY_PATH.env(), repository.toString(),
                ConfigKey.DATABASE_HOST.env(), shop.host(),
                ConfigKey.DATABASE_PORT.env(), Integer.toString(shop.port()),
                ConfigKey.DATABASE_USER.env(), shop.superuser(),
                ConfigKey.DATABASE_NAME.env(), DATABASE,
                ConfigKey.CATALOG_URL.env(), catalogCluster.jdbcUrl("catalog_a"),
                ConfigKey.CATALOG_USER.env(), catalogCluster.superuser()));
        env.putAll(alertSettings(smtpPort));
        env.put(ConfigKey.SCHEDULE_TIME_ZONE.env(), "UTC");
        env.put(ConfigKey.SCHEDULE_FULL.env(), "every 5m");
        env.put(ConfigKey.SCHEDULE_VERIFY.env(), "off");
        env.put(ConfigKey.SCHEDULE_TIMEOUT_MINUTES.env(), "600");
        // the objective is far beyond what this test's clock reaches: the RPO alert is the second daemon's
        env.put(ConfigKey.SCHEDULE_RPO_OBJECTIVE_SECONDS.env(), "604800");
        cli = new CellarCli(env);
        CellarCli.Run init = cli.run("init");
        assertThat(init.exitCode()).as(init.toString()).isZero();
        long anchor = System.currentTimeMillis() + 2_000;
        nodes.add(cli.withScaledClock(60, Instant.parse("2027-03-01T00:04:00Z"), anchor)
                .startLogged(workDir.resolve("node-a.log"), "server", "--node", "a", "--no-http", "--observe-every", "1"));
    }

    @AfterAll
    static void stopEverything() {
        for (Process node : nodes) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (shop != null) {
            shop.close();
        }
        if (catalogCluster != null) {
            catalogCluster.close();
        }
        if (tmpfs) {
            ProcessRunner.run(List.of("umount", "-l", workDir.resolve("repository-disk").toString()), Map.of(), null);
        }
    }

    @Test
    @Order(1)
    void aBackupAThirdSmallerThanTheOnesBeforeItOpensASizeAlert() throws Exception {
        await("four successful daily backups", () -> count(catalogA, "SELECT count(*) FROM cellar.job_run WHERE status = 'ok'") >= 4);
        shop.execute(DATABASE, "DELETE FROM sales WHERE id % 5 IN (0, 1)");

        await("a size-deviation incident", () -> openIncidents(catalogA, "size-deviation:%") == 1);
        await("its e-mail and webhook", () -> mailsFor("size-deviation:") == 1 && hooksFor("size-deviation:", "opened") == 1);
    }

    @Test
    @Order(2)
    void aStoppedDatabaseGivesOneEmailAndOneWebhookThenOneResolvedOfEach() throws Exception {
        shop.stop();
        await("a failed backup", () -> count(catalogA, "SELECT count(*) FROM cellar.job_run WHERE status = 'failed'") >= 1);
        await("a job-failed incident", () -> openIncidents(catalogA, "backup-failed:" + DATABASE + ":%") == 1);
        await("its e-mail and webhook", () -> mailsFor("-failed:") == 1 && hooksFor("-failed:", "opened") == 1);
        // the next slot fails again: the incident stays the same, nobody is told twice
        await("a second failed backup", () -> count(catalogA, "SELECT count(*) FROM cellar.job_run WHERE status = 'failed'") >= 2);
        Thread.sleep(3_000);
        assertThat(mailsFor("-failed:")).as(log("node-a.log")).isEqualTo(1);
        assertThat(hooksFor("-failed:", "opened")).isEqualTo(1);

        shop.restart();
        await("the incident resolved", () -> openIncidents(catalogA, "%-failed:%") == 0);
        await("one resolved e-mail and webhook", () -> mailsFor("-failed:") == 2 && hooksFor("-failed:", "resolved") == 1);
        JsonNode opened = webhooks.stream().filter(h -> h.path("kind").asText().equals("opened")
                && h.path("incident").toString().contains("-failed:")).findFirst().orElseThrow();
        assertThat(opened.path("text").asText()).contains(DATABASE);
    }

    @Test
    @Order(3)
    void aFillingRepositoryDiskOpensASpaceAlert() throws Exception {
        assumeTrue(tmpfs, "the repository sits on a 48 MB tmpfs only when the tests run as root (CI does)");
        long free = Files.getFileStore(repository).getUsableSpace();
        long total = Files.getFileStore(repository).getTotalSpace();
        // what backups would do in days, a ballast file does at once: leave 10% free
        long ballast = free - total / 10;
        try (var out = Files.newOutputStream(repository.getParent().resolve("ballast"))) {
            byte[] block = new byte[1 << 20];
            for (long written = 0; written < ballast; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, ballast - written));
            }
        }
        await("a space-free incident", () -> openIncidents(catalogA, "space-free:%") == 1);
        await("its webhook", () -> hooksFor("space-free:", "opened") == 1);
    }

    @Test
    @Order(4)
    void walThatStopsArrivingOpensTheArchiverAndRpoAlerts() throws Exception {
        try (ArchivedCluster archived = ArchivedCluster.start(Map.of())) {
            archived.cellarOk("backup", "physical");
            archived.switchAndAwaitArchived(Duration.ofSeconds(60));
            PGSimpleDataSource catalogB = dataSource("catalog_b");
            int httpPort = freePort();
            Map<String, String> env = new HashMap<>(alertSettings(smtp.getSmtp().getPort()));
            env.put(ConfigKey.CATALOG_URL.env(), catalogCluster.jdbcUrl("catalog_b"));
            env.put(ConfigKey.CATALOG_USER.env(), catalogCluster.superuser());
            env.put(ConfigKey.SCHEDULE_FULL.env(), "off");
            env.put(ConfigKey.SCHEDULE_INCREMENTAL.env(), "off");
            env.put(ConfigKey.SCHEDULE_VERIFY.env(), "off");
            env.put(ConfigKey.SCHEDULE_RPO_OBJECTIVE_SECONDS.env(), "60");
            env.put(ConfigKey.ALERTS_WAL_DELAY_MINUTES.env(), "1");
            env.put(ConfigKey.SERVER_LISTEN.env(), "127.0.0.1:" + httpPort);
            // its clock runs 4 times faster from now: the 60 s objective and the 1-minute delay pass in 15 real seconds
            long anchor = System.currentTimeMillis();
            CellarCli daemon = new CellarCli(env).withScaledClock(DAEMON_B_CLOCK_SCALE, Instant.ofEpochMilli(anchor), anchor);
            nodes.add(daemon.startLogged(workDir.resolve("node-b.log"), "server", "--node", "b", "--config", archived.config().toString(),
                    "--observe-every", "1"));
            await("the daemon's /health", () -> httpStatus(httpPort, "/health") == 200);
            assertThat(openIncidents(catalogB, "rpo-exceeded:%")).as("WAL still arrives: the recovery point is fresh").isZero();

            // archive_command broken: WAL stops arriving
            archived.cluster().execute("postgres", "ALTER SYSTEM SET archive_command = 'false'");
            archived.cluster().execute("postgres", "SELECT pg_reload_conf()");
            archived.cluster().execute("postgres", "CREATE TABLE wal_noise AS SELECT g FROM generate_series(1, 10000) g");
            archived.cluster().execute("postgres", "SELECT pg_switch_wal()");

            await("the archiver's failures alerted", () -> openIncidents(catalogB, "wal-archive-failing:%") == 1);
            await("the true RPO past its 60 s objective", () -> openIncidents(catalogB, "rpo-exceeded:%") == 1);
            await("the WAL delay past 1 minute", () -> openIncidents(catalogB, "wal-archive-delay:%") == 1);
            await("their webhooks", () -> hooksFor("rpo-exceeded:postgres", "opened") == 1
                    && hooksFor("wal-archive-failing:127.0.0.1:" + archived.cluster().port(), "opened") == 1);
            assertThat(httpBody(httpPort, "/metrics")).contains("cellar_true_rpo_seconds").contains("cellar_up 1");
            // a real Prometheus scrapes the running daemon and finds the RPO past the objective it exports
            try (RunningPrometheus prometheus = RunningPrometheus.scraping("127.0.0.1:" + httpPort)) {
                JsonNode rpo = prometheus.awaitQuery("cellar_true_rpo_seconds > cellar_rpo_objective_seconds", r -> r.size() == 1,
                        Duration.ofSeconds(30));
                assertThat(rpo.get(0).get("metric").get("database").asText()).isEqualTo("postgres");
                assertThat(prometheus.awaitQuery("up{job=\"cellar\"}", r -> r.size() == 1, Duration.ofSeconds(30))
                        .get(0).get("value").get(1).asText()).isEqualTo("1");
            }
        }
    }

    private static Map<String, String> alertSettings(int smtpPort) {
        Map<String, String> env = new HashMap<>();
        env.put(ConfigKey.ALERTS_SMTP_HOST.env(), "127.0.0.1");
        env.put(ConfigKey.ALERTS_SMTP_PORT.env(), Integer.toString(smtpPort));
        env.put(ConfigKey.ALERTS_SMTP_STARTTLS.env(), "off");
        env.put(ConfigKey.ALERTS_EMAIL_FROM.env(), "cellar@shop.example");
        env.put(ConfigKey.ALERTS_EMAIL_TO.env(), "dba@shop.example");
        env.put(ConfigKey.ALERTS_WEBHOOK_URL.env(), "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        env.put("CELLAR_WEBHOOK_SECRET", SECRET);
        return env;
    }

    private static long mailsFor(String keyPart) throws Exception {
        long count = 0;
        for (MimeMessage message : smtp.getReceivedMessages()) {
            String[] incident = message.getHeader("X-Cellar-Incident");
            if (incident != null && incident[0].contains(keyPart)) {
                count++;
            }
        }
        return count;
    }

    private static long hooksFor(String keyPart, String kind) {
        return webhooks.stream().filter(h -> h.path("kind").asText().equals(kind) && h.path("incident").toString().contains(keyPart)).count();
    }

    private static long openIncidents(PGSimpleDataSource catalog, String keyPattern) {
        return count(catalog, "SELECT count(*) FROM cellar.alert_incident WHERE resolved_at IS NULL AND incident_key LIKE '"
                + keyPattern + "'");
    }

    private static long count(PGSimpleDataSource catalog, String sql) {
        try (Connection c = catalog.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // the tables appear once the daemon has migrated the catalog
        }
    }

    private static String notifications(String database) {
        StringBuilder text = new StringBuilder();
        try (Connection c = dataSource(database).getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT i.incident_key, n.channel, n.kind, n.attempts, n.delivered_at, n.last_error"
                     + " FROM cellar.alert_notification n JOIN cellar.alert_incident i ON i.id = n.incident_id ORDER BY n.id")) {
            while (r.next()) {
                text.append(database).append(": ").append(r.getString(1)).append(' ').append(r.getString(2)).append(' ')
                        .append(r.getString(3)).append(" attempts ").append(r.getInt(4)).append(" delivered ").append(r.getString(5))
                        .append(' ').append(r.getString(6)).append('\n');
            }
        } catch (java.sql.SQLException e) {
            text.append(database).append(": ").append(e.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(catalogCluster.jdbcUrl(database));
        source.setUser(catalogCluster.superuser());
        return source;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        await(what, check, WAIT);
    }

    private static void await(String what, Check check, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no " + what + " within " + timeout + "\nwebhooks: " + webhooks.stream()
                        .map(h -> h.path("kind").asText() + " " + h.path("incident").path("key").asText() + " " + h.path("text").asText()).toList()
                        + "\nnotifications:\n" + notifications("catalog_a") + notifications("catalog_b")
                        + "\nnode a:\n" + log("node-a.log") + "\nnode b:\n" + log("node-b.log"));
            }
            Thread.sleep(200);
        }
    }

    private static int httpStatus(int port, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String httpBody(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    private static String log(String name) {
        try {
            String text = Files.readString(workDir.resolve(name));
            return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(none)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
