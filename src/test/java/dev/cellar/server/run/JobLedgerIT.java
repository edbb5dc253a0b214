package dev.cellar.server.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.server.catalog.TestCatalogs;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The job ledger on a real PostgreSQL: one run per slot across nodes, skips, and retries of abandoned runs. */
class JobLedgerIT {
    private static final Instant SLOT = Instant.parse("2027-03-01T01:00:00Z");
    private static LocalCluster cluster;
    private static PGSimpleDataSource dataSource;
    private static JobLedger ledger;

    @BeforeAll
    static void startCatalog() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("job-ledger"));
        dataSource = TestCatalogs.migrated(cluster, "catalog");
        ledger = new JobLedger(dataSource);
    }

    @AfterAll
    static void stopCatalog() {
        cluster.close();
    }

    @BeforeEach
    void emptyLedger() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE cellar.job_run");
        }
    }

    @Test
    void threeNodesClaimingOneSlotAtOnceGiveOneRun() throws Exception {
        JobSlot slot = JobSlot.onTime("full:shop", "backup-full", "shop", SLOT);
        ExecutorService nodes = Executors.newFixedThreadPool(3);
        try {
            List<Future<ClaimOutcome>> outcomes = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (String node : List.of("a", "b", "c")) {
                    Callable<ClaimOutcome> claim = () -> ledger.claim(slot, node);
                    outcomes.add(nodes.submit(claim));
                }
            }
            int claimed = 0;
            for (Future<ClaimOutcome> outcome : outcomes) {
                if (outcome.get() instanceof ClaimOutcome.Claimed) {
                    claimed++;
                } else {
                    assertThat(outcome.get()).isInstanceOf(ClaimOutcome.AlreadyHandled.class);
                }
            }
            assertThat(claimed).isEqualTo(1);
            assertThat(ledger.runs("full:shop")).hasSize(1);
        } finally {
            nodes.shutdownNow();
        }
    }

    @Test
    void aSlotThatComesWhileTheJobStillRunsIsSkippedNotDoubled() {
        ClaimOutcome first = ledger.claim(JobSlot.onTime("inc:shop", "backup-incremental", "shop", SLOT), "a");
        assertThat(first).isInstanceOf(ClaimOutcome.Claimed.class);

        ClaimOutcome next = ledger.claim(JobSlot.onTime("inc:shop", "backup-incremental", "shop", SLOT.plusSeconds(3600)), "b");

        assertThat(next).isInstanceOfSatisfying(ClaimOutcome.Skipped.class, skipped -> {
            assertThat(skipped.runningNode()).isEqualTo("a");
            assertThat(skipped.runningSlot()).isEqualTo(SLOT);
        });
        assertThat(ledger.runs("inc:shop")).extracting(JobLedger.RecordedRun::status)
                .containsExactly(RunStatus.RUNNING, RunStatus.SKIPPED);
        // once the first run ends, the following slot runs
        assertThat(ledger.finish(((ClaimOutcome.Claimed) first).claim(), RunStatus.OK, null, null)).isTrue();
        assertThat(ledger.claim(JobSlot.onTime("inc:shop", "backup-incremental", "shop", SLOT.plusSeconds(7200)), "b"))
                .isInstanceOf(ClaimOutcome.Claimed.class);
    }

    @Test
    void aRunWhoseNodeStoppedAnsweringIsInterruptedAndRetriedOnceByAnotherNode() throws Exception {
        RunClaim claim = ((ClaimOutcome.Claimed) ledger.claim(JobSlot.onTime("full:shop", "backup-full", "shop", SLOT), "a")).claim();
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(30), 2);
        assertThat(ledger.heartbeat(claim)).isTrue();
        assertThat(ledger.retryAbandoned(policy, "b")).as("a fresh heartbeat keeps the run").isEmpty();

        silence(claim.id());
        List<RunClaim> retries = ledger.retryAbandoned(policy, "b");

        assertThat(retries).singleElement().satisfies(retry -> {
            assertThat(retry.node()).isEqualTo("b");
            assertThat(retry.attempt()).isEqualTo(2);
            assertThat(retry.slot().scheduledFor()).isEqualTo(SLOT);
        });
        assertThat(ledger.retryAbandoned(policy, "c")).as("another node finds nothing left to retry").isEmpty();
        assertThat(ledger.heartbeat(claim)).as("the silenced node learns it lost the run").isFalse();
        assertThat(ledger.finish(claim, RunStatus.OK, null, null)).isFalse();

        silence(retries.get(0).id());
        assertThat(ledger.retryAbandoned(policy, "c")).as("no third attempt under maxAttempts 2").isEmpty();
        assertThat(ledger.runs("full:shop")).extracting(JobLedger.RecordedRun::status)
                .containsExactly(RunStatus.INTERRUPTED, RunStatus.INTERRUPTED);
        assertThat(ledger.runs("full:shop").get(0).error()).contains("node a stopped answering");
    }

    @Test
    void lastScheduledIsTheNewestSlotAnyNodeHandled() {
        assertThat(ledger.lastScheduled("verify:shop")).isEmpty();
        RunClaim run = ((ClaimOutcome.Claimed) ledger.claim(JobSlot.onTime("verify:shop", "verify", "shop", SLOT), "a")).claim();
        ledger.finish(run, RunStatus.FAILED, "verify failed", null);
        ledger.claim(new JobSlot("verify:shop", "verify", "shop", SLOT.plus(Duration.ofDays(7)), true, 2), "b");

        assertThat(ledger.lastScheduled("verify:shop")).contains(SLOT.plus(Duration.ofDays(7)));
        assertThat(ledger.runs("verify:shop").get(1)).satisfies(late -> {
            assertThat(late.late()).isTrue();
            assertThat(late.missedSlots()).isEqualTo(2);
        });
        assertThat(Duration.between(ledger.databaseNow(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    /** Plays a node that stopped answering: its run's last heartbeat an hour ago in the catalog's clock. */
    private static void silence(long runId) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE cellar.job_run SET heartbeat_at = now() - interval '1 hour' WHERE id = " + runId);
        }
    }
}
