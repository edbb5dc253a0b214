package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.ConfigKey;
import dev.cellar.pg.LocalCluster;
import dev.cellar.server.run.JobLedger;
import dev.cellar.server.run.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Three {@code cellar server} processes on one catalog play five compressed days of the seed's
 * schedule (the daily full at 02:00 and the Monday verification at 03:00, Europe/Berlin) on a
 * shared test clock that runs {@value #SCALE} times faster than real time (a day in 15 s). The
 * first node to claim a slot is killed with SIGKILL in the middle of its backup; another node
 * retries it. Then, after two days with no node running, a node runs the missed daily once, late.
 * Physical incrementals are left out here (hourly slots a tenth of a second apart would only be
 * skipped); SchedulerLoopIT runs hourly slots across three nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerNodesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "Shop";
    private static final long SCALE = 5760;
    /** Thursday 4 March 2027, 00:30 in Berlin: the first daily (02:00) comes at once, the verification on Monday 8 March (03:00). */
    private static final Instant CLOCK_START = Instant.parse("2027-03-03T23:30:00Z");
    private static final int FIRST_DAY = 4;

    private static LocalCluster cluster;
    private static Path workDir;
    private static CellarCli cli;
    private static WrappedPgDump stallingPgDump;
    private static long anchorMillis;
    private static PGSimpleDataSource catalog;
    private static final List<Process> nodes = new ArrayList<>();

    @BeforeAll
    static void startClusterRepositoryAndCatalog() throws Exception {
        workDir = TestFolders.create("cellar-server-nodes");
        cluster = LocalCluster.start(TestFolders.create("cellar-server-nodes-pg"));
        cluster.createDatabase(DATABASE);
        cluster.execute(DATABASE, "CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2) NOT NULL);"
                + " INSERT INTO orders SELECT g, g * 1.25 FROM generate_series(1, 500) g");
        cluster.createDatabase("catalog");
        stallingPgDump = WrappedPgDump.create(workDir, cluster, cluster.binaries().version("pg_dump").toString());
        Map<String, String> env = new HashMap<>(Map.of(
                "CELLAR_PASSPHRASE", "server-nodes-it",
                ConfigKey.REPOSITORY_PATH.env(), workDir.resolve("repo").toString(),
                ConfigKey.DATABASE_HOST.env(), cluster.host(),
                ConfigKey.DATABASE_PORT.env(), Integer.toString(cluster.port()),
                ConfigKey.DATABASE_USER.env(), cluster.superuser(),
                ConfigKey.DATABASE_NAME.env(), DATABASE,
                ConfigKey.CATALOG_URL.env(), cluster.jdbcUrl("catalog"),
                ConfigKey.CATALOG_USER.env(), cluster.superuser()));
        env.put(ConfigKey.SCHEDULE_TIME_ZONE.env(), "Europe/Berlin");
        env.put(ConfigKey.SCHEDULE_FULL.env(), "daily 02:00");
        env.put(ConfigKey.SCHEDULE_VERIFY.env(), "weekly mon 03:00");
        // time-outs count on the nodes' clock: a week of it (105 real seconds) instead of 6 hours (4)
        env.put(ConfigKey.SCHEDULE_TIMEOUT_MINUTES.env(), "10080");
        cli = new CellarCli(env);
        CellarCli.Run init = cli.run("init");
        assertThat(init.exitCode()).as(init.toString()).isZero();
        catalog = new PGSimpleDataSource();
        catalog.setURL(cluster.jdbcUrl("catalog"));
        catalog.setUser(cluster.superuser());
        // every node shows CLOCK_START a few seconds from now and runs SCALE times faster from there
        anchorMillis = System.currentTimeMillis() + 3_000;
    }

    @AfterAll
    static void stopEverything() {
        nodes.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void threeNodesRunFiveCompressedDaysOnceEachAndRetryTheRunOfAKilledNode() throws Exception {
        // the first node's pg_dump stalls: it is killed with SIGKILL in the middle of the first daily backup
        Process doomed = node("doomed", cli.with(ConfigKey.POSTGRES_BIN_DIR.env(), stallingPgDump.folder().toString())
                .with(WrappedPgDump.STALL, "1"));
        stallingPgDump.awaitDumpsStarted(1, Duration.ofSeconds(60));
        List<ProcessHandle> stalled = doomed.descendants().toList();
        doomed.destroyForcibly();
        assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        stalled.forEach(ProcessHandle::destroyForcibly);

        List<Process> three = List.of(node("a", cli), node("b", cli), node("c", cli));
        awaitScaledTime(Instant.parse("2027-03-08T03:30:00Z"));
        for (Process node : three) {
            node.destroy(); // SIGTERM: runs going on finish, then the node stops
        }
        for (Process node : three) {
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node stops on SIGTERM").isTrue();
            assertThat(node.exitValue()).as(log()).isIn(0, 143);
        }

        JobLedger ledger = new JobLedger(catalog);
        List<JobLedger.RecordedRun> fulls = ledger.runs("full:" + DATABASE);
        Map<Instant, List<JobLedger.RecordedRun>> bySlot = fulls.stream().collect(Collectors.groupingBy(JobLedger.RecordedRun::scheduledFor));
        // 02:00 in Berlin (UTC+1) from 4 to 8 March: five slots, each run once, the first after a retry
        assertThat(bySlot.keySet()).as(log()).hasSize(9 - FIRST_DAY);
        for (int day = FIRST_DAY; day <= 8; day++) {
            Instant slot = Instant.parse(String.format("2027-03-%02dT01:00:00Z", day));
            List<JobLedger.RecordedRun> runs = bySlot.get(slot);
            assertThat(runs).as("runs of " + slot + "\n" + log()).isNotNull();
            assertThat(runs.stream().filter(r -> r.status() == RunStatus.OK)).as("one successful run of " + slot + ": " + runs + "\n" + log()).hasSize(1);
            if (day == FIRST_DAY) {
                assertThat(runs).extracting(JobLedger.RecordedRun::node, JobLedger.RecordedRun::status, JobLedger.RecordedRun::attempt)
                        .first().isEqualTo(org.assertj.core.groups.Tuple.tuple("doomed", RunStatus.INTERRUPTED, 1));
                assertThat(runs.get(0).error()).contains("node doomed stopped answering");
                assertThat(runs.get(1).attempt()).isEqualTo(2);
                assertThat(runs.get(1).node()).isIn("a", "b", "c");
            } else {
                assertThat(runs).as("no retry needed for " + slot).hasSize(1);
            }
        }
        assertThat(fulls.stream().map(JobLedger.RecordedRun::node).distinct()).as("the work is shared").hasSizeGreaterThan(1);
        List<JobLedger.RecordedRun> verifications = ledger.runs("verify:" + DATABASE);
        assertThat(verifications).extracting(JobLedger.RecordedRun::scheduledFor, JobLedger.RecordedRun::status).as(log())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Instant.parse("2027-03-08T02:00:00Z"), RunStatus.OK));

        // one backup per successful run: the killed attempt left none, and no slot was backed up twice
        CellarCli.Run list = cli.run("list", "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        JsonNode backups = JSON.readTree(list.stdout()).get("backups");
        assertThat(backups.size()).as(list.stdout()).isEqualTo(9 - FIRST_DAY);
        CellarCli.Run verify = cli.run("verify", "--all");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        CellarCli.Run status = cli.run("status", "-d", DATABASE, "--at", "2027-03-08T04:00:00Z", "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
    }

    @Test
    @Order(2)
    void aNodeStartedAfterTwoDaysDownRunsTheMissedDailyOnceMarkedLate() throws Exception {
        // no node ran from 8 March 03:30; the dailies of 9 and 10 March were missed. The late node's clock starts
        // at 10 March 09:00 now rather than the test sleeping through two idle days of the shared clock
        Process late = node("late", cli, Instant.parse("2027-03-10T09:00:00Z"), System.currentTimeMillis());
        JobLedger ledger = new JobLedger(catalog);
        Instant deadline = Instant.now().plusSeconds(60);
        List<JobLedger.RecordedRun> after = List.of();
        while (Instant.now().isBefore(deadline)) {
            after = ledger.runs("full:" + DATABASE).stream().filter(r -> r.scheduledFor().isAfter(Instant.parse("2027-03-08T12:00:00Z")))
                    .filter(r -> r.status() == RunStatus.OK).toList();
            if (!after.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        long lateAlerts = 0;
        while (Instant.now().isBefore(deadline) && lateAlerts == 0) {
            lateAlerts = count("SELECT count(*) FROM cellar.alert_incident WHERE incident_key LIKE 'schedule-late:%'");
            Thread.sleep(200);
        }
        late.destroy();
        assertThat(late.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(lateAlerts).as("the late run is alerted\n" + log()).isEqualTo(1);

        assertThat(after).as(log()).singleElement().satisfies(run -> {
            assertThat(run.scheduledFor()).isEqualTo(Instant.parse("2027-03-10T01:00:00Z"));
            assertThat(run.late()).isTrue();
            assertThat(run.missedSlots()).isEqualTo(1);
            assertThat(run.node()).isEqualTo("late");
        });
        assertThat(ledger.runs("full:" + DATABASE).stream().filter(r -> r.scheduledFor().equals(Instant.parse("2027-03-09T01:00:00Z"))))
                .as("the missed 9 March slot is not run on its own").isEmpty();
    }

    private static Process node(String name, CellarCli base) throws Exception {
        return node(name, base, CLOCK_START, anchorMillis);
    }

    /** A node whose clock shows {@code start} at real time {@code anchor} and runs {@link #SCALE} times faster. */
    private static Process node(String name, CellarCli base, Instant start, long anchor) throws Exception {
        Process process = base.withScaledClock(SCALE, start, anchor)
                .startLogged(workDir.resolve("nodes.log"), "server", "--node", name, "--no-http", "--lease", "5", "--observe-every", "2",
                        "--shutdown-grace", "60");
        nodes.add(process);
        return process;
    }

    /** Waits in real time until the nodes' scaled clock shows {@code instant}. */
    private static void awaitScaledTime(Instant instant) throws InterruptedException {
        long realMillis = anchorMillis + Duration.between(CLOCK_START, instant).toMillis() / SCALE;
        long wait = realMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static long count(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = catalog.getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String log() {
        try {
            return Files.readString(workDir.resolve("nodes.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
