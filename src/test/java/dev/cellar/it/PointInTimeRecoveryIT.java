package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.pg.ProcessResult;
import dev.cellar.pg.ProcessRunner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Point-in-time recovery end to end: a write workload runs while WAL is archived through
 * {@code cellar wal push} and two physical backups are taken; markers record each table's
 * checksum at known times, LSNs, transaction ids and restore points; then recovery to ten
 * randomly chosen markers (four on S3, where only the fetch differs), by every kind of target in
 * turn, must find every table equal to its checksum at that marker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PointInTimeRecoveryIT {
    /** Where the repository lives; the S3 variant of this test overrides it. */
    protected RepositoryPlacement placement() {
        return RepositoryPlacement.folder();
    }

    /** How many markers are recovered to (each kind of target twice): the S3 variant, where only the fetch differs, takes fewer. */
    protected int markersRecovered() {
        return 8;
    }

    private static final String BENCH = "bench";
    private static final String RESTAURANT = "restaurant";
    private static final int MARKERS = 14;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    private ArchivedCluster archived;
    private final List<MarkedWorkload.Marker> markers = new ArrayList<>();
    private long seed;
    private String firstBackup;

    @BeforeAll
    void runWorkloadWithMarkers() throws Exception {
        archived = ArchivedCluster.start(Map.of(), placement());
        TestDatabases.loadPgbench(archived.cluster(), BENCH, 2);
        TestDatabases.loadRestaurant(archived.cluster(), RESTAURANT, 1);
        firstBackup = JSON.readTree(archived.cellarOk("backup", "physical", "--json").stdout()).path("id").asText();
        seed = Long.getLong("pitr.seed", System.nanoTime());
        System.out.println("PointInTimeRecoveryIT seed " + seed + " (rerun with -Dpitr.seed=" + seed + ")");
        try (MarkedWorkload workload = new MarkedWorkload(archived.cluster(), BENCH, RESTAURANT)) {
            workload.start(seed);
            for (int i = 1; i <= MARKERS; i++) {
                Thread.sleep(400);
                markers.add(workload.mark(i));
                if (i == MARKERS / 2) {
                    // a second backup in the middle: later markers should recover from it
                    archived.cellarOk("backup", "physical");
                }
            }
            Thread.sleep(300);
            System.out.println("workload committed " + workload.transactions() + " transactions");
        }
        // a commit after the last marker, so that even the last time target has WAL beyond it
        archived.cluster().execute(BENCH, "INSERT INTO marker_log VALUES (1000, clock_timestamp())");
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        if (archived != null) {
            archived.close();
        }
    }

    @Test
    @Order(1)
    void restoredFilesPassPgVerifybackupAndAManualStartRecoversToARestorePoint() throws Exception {
        MarkedWorkload.Marker marker = markers.get(2);
        Path dir = archived.restoreDir("verified");
        int port = ArchivedCluster.freePort();
        // without --start Cellar cannot tell which backup precedes a restore point: name it
        archived.cellarOk("restore", "pitr", "-D", dir.toString(), "--target-name", marker.restorePoint(), "--backup", firstBackup,
                "--port", Integer.toString(port), "--archive-mode", "off");
        ProcessResult verify = ProcessRunner.run(List.of(archived.cluster().binaries().path("pg_verifybackup").toString(),
                "--no-parse-wal", dir.toString()), Map.of(), ServerUser.name());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderrTail()).isZero();

        // without --start, the operator starts it; restore_command fetches every WAL file itself
        ProcessResult start = ProcessRunner.run(List.of(archived.cluster().binaries().path("pg_ctl").toString(), "-D", dir.toString(),
                "-l", dir.resolve("manual-start.log").toString(), "-w", "-t", "120", "start"), Map.of(), ServerUser.name());
        assertThat(start.exitCode()).as(start.stderrTail()).isZero();
        awaitPromotion(port, dir.resolve("manual-start.log"));
        assertThat(markerChecksums(port)).isEqualTo(marker.checksums());
        ProcessResult amcheck = ProcessRunner.run(List.of(archived.cluster().binaries().path("pg_amcheck").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "--all", "--install-missing", "--heapallindexed"), Map.of(), null);
        assertThat(amcheck.exitCode()).as(amcheck.stdout() + amcheck.stderrTail()).isZero();
        assertThat(amcheck.stdout()).isBlank();
        archived.stopRestored(dir);
    }

    @Test
    @Order(2)
    void recoveryToRandomMarkersByEveryKindOfTargetFindsEveryTableAsItWasThere() throws Exception {
        Random random = new Random(seed);
        List<MarkedWorkload.Marker> chosen = new ArrayList<>(markers);
        Collections.shuffle(chosen, random);
        chosen = chosen.subList(0, markersRecovered());
        String[] kinds = {"time", "lsn", "xid", "name"};
        // every four markers in a row are recovered to by each kind of target once
        int firstKind = random.nextInt(kinds.length);
        Path dir = archived.restoreDir("pitr");
        int port = ArchivedCluster.freePort();
        for (int i = 0; i < chosen.size(); i++) {
            MarkedWorkload.Marker marker = chosen.get(i);
            String kind = kinds[(i + firstKind) % kinds.length];
            List<String> args = new ArrayList<>(List.of("restore", "pitr", "-D", dir.toString(), "--force", "--start",
                    "--port", Integer.toString(port), "--archive-mode", "off", "--json"));
            switch (kind) {
                case "time" -> args.addAll(List.of("--target-time", PG_TIME.format(marker.time().atOffset(ZoneOffset.UTC))));
                // exclusive: the marker's LSN is the insert position, where the next transaction's first record goes
                case "lsn" -> args.addAll(List.of("--target-lsn", marker.lsn(), "--exclusive"));
                case "xid" -> args.addAll(List.of("--target-xid", marker.xid()));
                default -> args.addAll(List.of("--target-name", marker.restorePoint()));
            }
            CellarCli.Run run = archived.cellar(args.toArray(String[]::new));
            assertThat(run.exitCode()).as("marker " + marker.number() + " by " + kind + ": " + run).isZero();
            JsonNode result = JSON.readTree(run.stdout());
            System.out.printf("marker %2d by %-4s from backup %s: %s, replayed to %s, %d WAL prefetched, recovery %s%n",
                    marker.number(), kind, result.path("backupId").asText(), result.path("state").asText(),
                    result.path("replayedLsn").asText(), result.path("prefetched").asInt(), result.path("recoveryDuration").asText());
            assertThat(result.path("state").asText()).isEqualTo("promoted");
            assertThat(markerChecksums(port)).as("tables after recovery to marker " + marker.number() + " by " + kind)
                    .isEqualTo(marker.checksums());
            archived.stopRestored(dir);
        }
    }

    @Test
    @Order(3)
    void aTargetBeyondTheArchiveIsRefusedBeforeAnythingIsWritten() {
        Path dir = archived.restoreDir("beyond");
        CellarCli.Run run = archived.cellar("restore", "pitr", "-D", dir.toString(), "--target-time",
                PG_TIME.format(Instant.now().plusSeconds(3600).atOffset(ZoneOffset.UTC)));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(17);
        assertThat(run.stderr()).contains("later than the newest archived WAL");
        assertThat(dir).doesNotExist();

        CellarCli.Run early = archived.cellar("restore", "pitr", "-D", dir.toString(), "--target-time", "2001-01-01 00:00:00+00");
        assertThat(early.exitCode()).as(early.toString()).isEqualTo(17);
        assertThat(early.stderr()).contains("earliest point");
        assertThat(dir).doesNotExist();
    }

    private static Map<String, String> markerChecksums(int port) throws Exception {
        Map<String, String> checksums = new java.util.TreeMap<>();
        try (Connection bench = ArchivedCluster.connect(port, BENCH); Connection restaurant = ArchivedCluster.connect(port, RESTAURANT)) {
            dev.cellar.pg.TableChecksums.of(bench).forEach((t, s) -> checksums.put(BENCH + "/" + t, s));
            dev.cellar.pg.TableChecksums.of(restaurant).forEach((t, s) -> checksums.put(RESTAURANT + "/" + t, s));
        }
        return checksums;
    }

    private static void awaitPromotion(int port, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = ArchivedCluster.connect(port, "postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            } catch (java.sql.SQLException starting) {
                // not accepting connections yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("restored server on port " + port + " did not promote within 120 s; its log:\n"
                + String.join("\n", java.nio.file.Files.readAllLines(log)));
    }
}
