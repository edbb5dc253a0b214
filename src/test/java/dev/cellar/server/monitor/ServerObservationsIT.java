package dev.cellar.server.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.AlertsConfig;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.server.catalog.TestCatalogs;
import dev.cellar.pg.PgBinaries;
import dev.cellar.repo.MutableClock;
import dev.cellar.server.alert.Alerts;
import dev.cellar.server.alert.IncidentTracker;
import dev.cellar.server.alert.JobRun;
import dev.cellar.server.metrics.MonitoringSnapshot;
import dev.cellar.server.run.ClaimOutcome;
import dev.cellar.server.run.JobLedger;
import dev.cellar.server.run.JobSlot;
import dev.cellar.server.run.RunStatus;
import dev.cellar.server.schedule.JobPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One observation round on real parts: one PostgreSQL cluster holds the catalog (migrated by
 * Flyway from the real scripts) and the protected database, whose {@code archive_command} is
 * broken ({@code false}); a failed run is recorded through the real {@link JobLedger}; the alerts
 * are judged by the real {@link Alerts}.
 */
class ServerObservationsIT {
    private static final String DB = "shop";
    private static final long MIB = 1024 * 1024;

    private static LocalCluster cluster;
    private static PGSimpleDataSource catalog;
    private static Path repository;
    private static JobPlan plan;
    private static MutableClock clock;

    @BeforeAll
    static void startClusterWithBrokenArchiving() throws Exception {
        Path folder = TestFolders.create("cellar-observe-it");
        cluster = LocalCluster.start(folder, PgBinaries.locate(null), Map.of("archive_mode", "on", "archive_command", "false"));
        cluster.createDatabase(DB);
        catalog = TestCatalogs.migrated(cluster, "catalog");
        repository = Files.createDirectories(folder.resolve("repo"));
        CellarConfig config = ConfigLoader.load(Files.writeString(folder.resolve("cellar.yaml"), """
                repository:
                  path: %s
                database:
                  host: 127.0.0.1
                  port: %d
                  user: %s
                  name: %s
                postgres:
                  data-dir: %s
                """.formatted(repository, cluster.port(), cluster.superuser(), DB, cluster.dataDir())), Map.of(), Map.of());
        plan = JobPlan.of(config);
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void oneRoundFeedsTheAlertsAndTheMetricsFromTheSameFacts() throws Exception {
        // a failed daily full through the real ledger
        JobLedger ledger = new JobLedger(catalog);
        Instant slot = clock.instant().minus(Duration.ofHours(1));
        ClaimOutcome.Claimed claimed = (ClaimOutcome.Claimed) ledger.claim(JobSlot.onTime("full:" + DB, "backup-full", DB, slot), "node-a");
        ledger.finish(claimed.claim(), RunStatus.FAILED, "cannot connect to database " + DB, null);
        // backup_log rows by SQL: CatalogIngest would need four real backups in a repository (minutes), and
        // only the rows matter here; 30% below the median of the three before it
        insertLogicalBackup("b1", Duration.ofDays(4), 1000 * MIB);
        insertLogicalBackup("b2", Duration.ofDays(3), 1010 * MIB);
        insertLogicalBackup("b3", Duration.ofDays(2), 990 * MIB);
        insertLogicalBackup("b4", Duration.ofDays(1), 700 * MIB);
        waitForArchiverFailure();

        ServerObservations observations = ServerObservations.configured(plan, catalog, Map.of(), clock);
        MonitoringSnapshot.Scheduler scheduler = new MonitoringSnapshot.Scheduler(Optional.of(clock.instant()), 0);
        observations.observe(scheduler);
        clock.advance(Duration.ofSeconds(30));
        Observation observation = observations.observe(scheduler);

        assertThat(observation.notes()).isEmpty();
        assertThat(observation.alerts().jobRuns()).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(JobRun.Status.FAILED);
            assertThat(run.error()).contains("cannot connect");
        });
        assertThat(observation.alerts().wal()).singleElement().satisfies(wal -> {
            assertThat(wal.server()).isEqualTo("127.0.0.1:" + cluster.port());
            assertThat(wal.failedCount()).isPositive();
            assertThat(wal.newestArchivedAt()).isNull();
            assertThat(wal.walWaiting()).isTrue();
            assertThat(wal.previousFailedCount()).isNotNull();
        });
        assertThat(observation.alerts().storage()).singleElement().satisfies(s -> assertThat(s.capacityBytes()).isPositive());

        IncidentTracker.TrackResult tracked = Alerts.configured(AlertsConfig.defaults(), catalog, Map.of(), clock)
                .evaluate(observation.alerts());
        assertThat(tracked.opened()).isNotEmpty();
        assertThat(openConditions()).contains("job-failed", "size-deviation", "wal-archive-delay", "wal-archive-failing");

        MonitoringSnapshot metrics = observation.metrics();
        assertThat(metrics.jobs()).filteredOn(j -> j.jobType().equals("backup-full")).singleElement().satisfies(job -> {
            assertThat(job.runsByStatus()).containsEntry("failed", 1L);
            assertThat(job.lastSuccess()).isEmpty();
            assertThat(job.successObjective()).contains(Duration.ofHours(25));
        });
        MonitoringSnapshot.Database db = metrics.databases().get(0);
        assertThat(db.database()).isEqualTo(DB);
        assertThat(db.newestBackups()).containsExactly(new MonitoringSnapshot.Backup("logical", 700 * MIB, 700 * MIB / 5));
        assertThat(db.dedupRatio().getAsDouble()).isEqualTo(5.0);
        assertThat(db.newestRecoverablePoint()).contains(clock.instant().minus(Duration.ofDays(1)).minusSeconds(30));
        assertThat(db.newestArchivedWal()).isEmpty();
        assertThat(metrics.repositories()).singleElement().satisfies(r -> {
            assertThat(r.freeBytes().getAsLong()).isPositive();
            assertThat(r.backupsBehind()).isEmpty();
        });
    }

    private static void insertLogicalBackup(String id, Duration age, long bytes) throws Exception {
        Instant started = clock.instant().minus(age);
        try (Connection c = catalog.getConnection(); PreparedStatement p = c.prepareStatement("""
                INSERT INTO cellar.backup_log (audit_mac, operation, backup_type, database, target, started_at, finished_at, status,
                                               size_bytes, stored_bytes, duration, backup_id, first_sequence, last_sequence)
                VALUES (?, 'backup.logical', 'logical', ?, ?, ?, ?, 'ok', ?, ?, interval '1 minute', ?, 1, 2)""")) {
            p.setString(1, "mac-" + id);
            p.setString(2, DB);
            p.setString(3, "postgres@127.0.0.1/" + DB);
            p.setTimestamp(4, Timestamp.from(started));
            p.setTimestamp(5, Timestamp.from(started.plusSeconds(60)));
            p.setLong(6, bytes);
            p.setLong(7, bytes / 5);
            p.setString(8, id);
            p.executeUpdate();
        }
    }

    /** Switches to a new segment so the broken command is tried, and waits (bounded) for PostgreSQL to count its failure. */
    private static void waitForArchiverFailure() throws Exception {
        cluster.execute(DB, "CREATE TABLE t AS SELECT generate_series(1, 1000) AS n");
        cluster.execute(DB, "SELECT pg_switch_wal()");
        Instant giveUp = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(giveUp)) {
            try (Connection c = cluster.connect(DB); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT failed_count FROM pg_stat_archiver")) {
                r.next();
                if (r.getLong(1) > 0) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the archiver never tried the broken archive_command within 30 s");
    }

    private static List<String> openConditions() throws Exception {
        List<String> conditions = new ArrayList<>();
        try (Connection c = catalog.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT condition FROM cellar.alert_incident WHERE resolved_at IS NULL ORDER BY condition")) {
            while (r.next()) {
                conditions.add(r.getString(1));
            }
        }
        return conditions;
    }
}
