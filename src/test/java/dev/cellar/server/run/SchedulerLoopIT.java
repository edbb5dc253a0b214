package dev.cellar.server.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.server.catalog.TestCatalogs;
import dev.cellar.config.DatabaseConfig;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.server.schedule.ScheduleParser;
import dev.cellar.server.schedule.ScheduledJob;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The scheduler loop of several nodes on one real catalog, on a clock the test moves: every slot
 * runs once on some node, overlaps are skipped, a dead node's run is retried elsewhere, downtime
 * gives one late run, and a stopped daemon records the run it could not finish.
 */
class SchedulerLoopIT {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant START = Instant.parse("2027-03-01T00:30:00Z");
    private static final ScheduledDatabase SHOP = new ScheduledDatabase("shop",
            new DatabaseConfig("localhost", 5432, "postgres", "shop", null, true), null, BERLIN,
            ScheduleParser.parse("daily 02:00", BERLIN), ScheduleParser.parse("off", BERLIN), ScheduleParser.parse("off", BERLIN),
            Duration.ofHours(6), 3600);
    private static LocalCluster cluster;
    private static PGSimpleDataSource dataSource;
    private static JobLedger ledger;

    private final MovableClock clock = new MovableClock(START);
    private final Map<Instant, Integer> runsPerSlot = new ConcurrentHashMap<>();
    private final List<String> runningNodes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCatalog() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("scheduler-loop"));
        dataSource = TestCatalogs.migrated(cluster, "catalog");
        ledger = new JobLedger(dataSource);
    }

    @AfterAll
    static void stopCatalog() {
        cluster.close();
    }

    @BeforeEach
    void emptyCatalog() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE cellar.job_run, cellar.server_node");
        }
    }

    @Test
    void threeNodesRunEveryHourlySlotOfTwoDaysExactlyOnce() throws Exception {
        JobRunners runners = new JobRunners().register("backup-incremental", claim -> {
            runsPerSlot.merge(claim.slot().scheduledFor(), 1, Integer::sum);
            runningNodes.add(claim.node());
            return JobResult.ok("done", null);
        });
        List<Node> nodes = List.of(node("a", runners, "hourly 07:00-23:00"), node("b", runners, "hourly 07:00-23:00"),
                node("c", runners, "hourly 07:00-23:00"));
        try {
            for (int minute = 0; minute < 2 * 24 * 60; minute += 30) {
                clock.set(START.plus(Duration.ofMinutes(minute)));
                for (Node node : nodes) {
                    node.loop.tick();
                }
                awaitIdle(nodes);
            }
        } finally {
            nodes.forEach(n -> n.supervisor.close());
        }

        // 07:00..23:00 Berlin (CET, UTC+1) is 06:00..22:00 UTC: 17 slots a day, two days
        assertThat(runsPerSlot).hasSize(34);
        assertThat(runsPerSlot.values()).allMatch(count -> count == 1);
        assertThat(ledger.runs(null)).hasSize(34).allMatch(r -> r.status() == RunStatus.OK && !r.late());
    }

    @Test
    void aSlotThatComesWhileTheRunGoesOnIsSkippedAndAlerted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<JobSlot> skipped = new CopyOnWriteArrayList<>();
        JobRunners runners = new JobRunners().register("backup-incremental", claim -> {
            release.await(30, TimeUnit.SECONDS);
            return JobResult.ok("done", null);
        });
        Node a = node("a", runners, "every 15m", new RunEvents() {
            @Override
            public void skipped(JobSlot slot, ClaimOutcome.Skipped outcome) {
                skipped.add(slot);
            }
        });
        try {
            clock.set(Instant.parse("2027-03-01T06:00:30Z"));
            a.loop.tick();
            clock.set(Instant.parse("2027-03-01T06:15:30Z"));
            a.loop.tick();
            release.countDown();
            awaitIdle(List.of(a));
        } finally {
            a.supervisor.close();
        }
        assertThat(skipped).extracting(JobSlot::scheduledFor).containsExactly(Instant.parse("2027-03-01T06:15:00Z"));
        assertThat(ledger.runs(null)).extracting(JobLedger.RecordedRun::status).containsExactly(RunStatus.OK, RunStatus.SKIPPED);
    }

    @Test
    void aNodeThatDiesMidRunIsRetriedByAnotherAndNothingRunsTwiceAfterwards() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        JobRunners hanging = new JobRunners().register("backup-full", claim -> {
            never.await();
            return JobResult.ok("never", null);
        });
        JobRunners working = new JobRunners().register("backup-full", claim -> JobResult.ok("done by " + claim.node(), null));
        RetryPolicy shortLease = new RetryPolicy(Duration.ofSeconds(2), 2);
        Node dying = node("dying", hanging, "daily 02:00", RunEvents.NONE, shortLease);
        Node survivor = node("survivor", working, "daily 02:00", RunEvents.NONE, shortLease);
        try {
            clock.set(Instant.parse("2027-03-01T01:00:10Z")); // 02:00:10 in Berlin
            assertThat(dying.loop.tick()).hasSize(1);
            assertThat(survivor.loop.tick()).isEmpty();
            dying.supervisor.abandon(); // plays SIGKILL: no heartbeat, no record
            Thread.sleep(3_000);
            assertThat(survivor.loop.tick()).singleElement().satisfies(retry -> assertThat(retry.attempt()).isEqualTo(2));
            awaitIdle(List.of(survivor));
            assertThat(survivor.loop.tick()).isEmpty();
        } finally {
            survivor.supervisor.close();
        }
        assertThat(ledger.runs(null)).extracting(JobLedger.RecordedRun::node, JobLedger.RecordedRun::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dying", RunStatus.INTERRUPTED),
                        org.assertj.core.groups.Tuple.tuple("survivor", RunStatus.OK));
    }

    @Test
    void afterTwoDaysDownTheMissedDailyRunsOnceMarkedLate() throws Exception {
        JobRunners runners = new JobRunners().register("backup-full", claim -> JobResult.ok("done", null));
        Node a = node("a", runners, "daily 02:00");
        try {
            clock.set(Instant.parse("2027-03-01T01:00:30Z"));
            a.loop.tick();
            awaitIdle(List.of(a));
            clock.set(Instant.parse("2027-03-03T09:00:00Z")); // two daily slots missed
            a.loop.tick();
            awaitIdle(List.of(a));
            a.loop.tick();
        } finally {
            a.supervisor.close();
        }
        List<JobLedger.RecordedRun> runs = ledger.runs(null);
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1)).satisfies(late -> {
            assertThat(late.scheduledFor()).isEqualTo(Instant.parse("2027-03-03T01:00:00Z"));
            assertThat(late.late()).isTrue();
            assertThat(late.missedSlots()).isEqualTo(1);
        });
    }

    @Test
    void aStoppedDaemonRecordsTheRunItCouldNotFinishAsInterrupted() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        JobRunners runners = new JobRunners().register("backup-full", claim -> {
            never.await();
            return JobResult.ok("never", null);
        });
        Node a = node("a", runners, "daily 02:00");
        clock.set(Instant.parse("2027-03-01T01:00:30Z"));
        a.loop.tick();
        a.supervisor.shutdown(Duration.ofMillis(200));
        a.supervisor.close();
        assertThat(ledger.runs(null)).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.error()).contains("daemon stopped");
        });
    }

    private record Node(SchedulerLoop loop, RunSupervisor supervisor) {
    }

    private Node node(String name, JobRunners runners, String schedule) {
        return node(name, runners, schedule, RunEvents.NONE);
    }

    private Node node(String name, JobRunners runners, String schedule, RunEvents events) {
        return node(name, runners, schedule, events, RetryPolicy.DEFAULT);
    }

    private Node node(String name, JobRunners runners, String schedule, RunEvents events, RetryPolicy policy) {
        String kind = runners.kinds().iterator().next();
        RunSupervisor supervisor = new RunSupervisor(ledger, runners, policy, events, clock);
        ScheduledJob job = new ScheduledJob(kind + ":shop", kind, SHOP, ScheduleParser.parse(schedule, BERLIN), Duration.ofHours(6));
        return new Node(new SchedulerLoop(List.of(job), ledger, supervisor, policy, events, clock, name, START), supervisor);
    }

    private static void awaitIdle(List<Node> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (nodes.stream().anyMatch(n -> n.supervisor.running() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** The daemon's clock, moved by the test. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
