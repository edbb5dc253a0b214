package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.pg.ProcessResult;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ChunkStore;
import dev.cellar.pg.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Point-in-time restores clean up after themselves, choose their backup without trial
 * recoveries, and are audited. One archived cluster with two physical backups and eight markers
 * (four before the second backup, four after) serves every test: each marker is a commit whose
 * transaction id, a restore point after it, a time and an LSN all mean "the ledger's highest
 * marker is k".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PitrCleanUpIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");
    private static final String DB = "ShopBooks";
    private static final int MARKERS = 8;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private record Marker(int number, String xid, String lsn, Instant time, String restorePoint) {
    }

    private ArchivedCluster archived;
    private final List<Marker> markers = new ArrayList<>();
    private String olderBackup;
    private String newerBackup;
    private long seed;

    @BeforeAll
    void archiveMarkersAroundTwoBackups() throws Exception {
        archived = ArchivedCluster.start(Map.of());
        archived.cluster().createDatabase(DB);
        try (Connection c = archived.cluster().connect(DB); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA \"Ledger\"");
            s.execute("CREATE TABLE \"Ledger\".\"Entries\" (id bigserial PRIMARY KEY, \"Marker\" int NOT NULL, \"Note\" text, "
                    + "at timestamptz NOT NULL DEFAULT clock_timestamp()) PARTITION BY RANGE (id)");
            s.execute("CREATE TABLE \"Ledger\".\"Entries low\" PARTITION OF \"Ledger\".\"Entries\" FOR VALUES FROM (MINVALUE) TO (2000)");
            s.execute("CREATE TABLE \"Ledger\".\"Entries high\" PARTITION OF \"Ledger\".\"Entries\" FOR VALUES FROM (2000) TO (MAXVALUE)");
            s.execute("INSERT INTO \"Ledger\".\"Entries\" (\"Marker\", \"Note\") SELECT 0, 'opening ' || g FROM generate_series(1, 200) g");
        }
        olderBackup = backupId();
        for (int k = 1; k <= MARKERS; k++) {
            markers.add(mark(k));
            if (k == MARKERS / 2) {
                newerBackup = backupId();
            }
        }
        // a commit after the last marker, so the last time target has WAL beyond it
        archived.cluster().execute(DB, "INSERT INTO \"Ledger\".\"Entries\" (\"Marker\", \"Note\") VALUES (" + (MARKERS + 1) + ", 'tail')");
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));
        seed = Long.getLong("pitr.seed", System.nanoTime());
        System.out.println("PitrCleanUpIT seed " + seed + " (rerun with -Dpitr.seed=" + seed + ")");
    }

    @AfterAll
    void stop() {
        if (archived != null) {
            archived.close();
        }
    }

    @Test
    @Order(1)
    void anXidAndARestorePointBeforeTheNewestBackupRestoreFromTheOlderBackupOnTheFirstTry() throws Exception {
        Marker marker = markers.get(1);
        Path dir = archived.restoreDir("first-try");
        int port = ArchivedCluster.freePort();
        CellarCli.Run byXid = archived.cellar("restore", "pitr", "-D", dir.toString(), "--target-xid", marker.xid(), "--start",
                "--port", Integer.toString(port), "--archive-mode", "off", "--json");
        assertThat(byXid.exitCode()).as(byXid.toString()).isZero();
        JsonNode xidResult = JSON.readTree(byXid.stdout());
        assertThat(xidResult.path("backupId").asText()).isEqualTo(olderBackup);
        assertThat(xidResult.path("recoveriesStarted").asInt()).isEqualTo(1);
        assertThat(xidResult.path("backupChoice").asText())
                .contains("transaction " + marker.xid() + " committed at LSN " + xidResult.path("targetLsn").asText())
                .contains("after the end of backup " + olderBackup)
                .contains("before the end of backup " + newerBackup);
        assertThat(byXid.stderr()).doesNotContain("trying the older backup");
        assertThat(highestMarker(port)).isEqualTo(marker.number());
        archived.stopRestored(dir);

        CellarCli.Run byName = archived.cellar("restore", "pitr", "-D", dir.toString(), "--force", "--target-name", marker.restorePoint(),
                "--start", "--port", Integer.toString(port), "--archive-mode", "off");
        assertThat(byName.exitCode()).as(byName.toString()).isZero();
        assertThat(byName.stdout()).contains("backup chosen: restore point '" + marker.restorePoint() + "' was created at LSN")
                .contains("recoveries started: 1");
        assertThat(byName.stdout()).contains("restored full backup " + olderBackup);
        assertThat(highestMarker(port)).isEqualTo(marker.number());
        archived.stopRestored(dir);

        // naming the newer backup for a point before its end is refused before anything is written
        Path refused = archived.restoreDir("refused");
        CellarCli.Run tooNew = archived.cellar("restore", "pitr", "-D", refused.toString(), "--backup", newerBackup,
                "--target-xid", marker.xid(), "--start", "--port", Integer.toString(port), "--archive-mode", "off");
        assertThat(tooNew.exitCode()).as(tooNew.toString()).isEqualTo(17);
        assertThat(tooNew.stderr()).contains("transaction " + marker.xid() + " committed at LSN", "before the end of backup " + newerBackup,
                "backup " + olderBackup + " ends before it");
        assertThat(refused).doesNotExist();
        assertNothingLeft();
    }

    @Test
    @Order(2)
    void twelveRestoresSomeInterruptedLeaveNoCellarProcessAndNoSpoolFolder() throws Exception {
        Random random = new Random(seed);
        String[] kinds = {"time", "lsn", "xid", "name"};
        List<Path> dirs = List.of(archived.restoreDir("mix-a"), archived.restoreDir("mix-b"), archived.restoreDir("mix-c"));
        int promoted = 0;
        int interrupted = 0;
        for (int i = 0; i < 12; i++) {
            Marker marker = markers.get(random.nextInt(markers.size()));
            String kind = kinds[i % kinds.length];
            Path dir = dirs.get(i % dirs.size());
            int port = ArchivedCluster.freePort();
            // every fourth one is not started; of the started ones, numbers 4, 5 and 10 are interrupted,
            // by SIGTERM, SIGKILL and SIGTERM
            boolean start = i % 4 != 3;
            String signal = start && i % 6 >= 4 ? (i % 2 == 0 ? "TERM" : "KILL") : null;
            List<String> args = new ArrayList<>(List.of("restore", "pitr", "-D", dir.toString(), "--force",
                    "--port", Integer.toString(port), "--archive-mode", "off", "--json"));
            if (start) {
                args.add("--start");
            }
            switch (kind) {
                case "time" -> args.addAll(List.of("--target-time", PG_TIME.format(marker.time().atOffset(ZoneOffset.UTC))));
                case "lsn" -> args.addAll(List.of("--target-lsn", marker.lsn(), "--exclusive"));
                case "xid" -> args.addAll(List.of("--target-xid", marker.xid()));
                default -> args.addAll(List.of("--target-name", marker.restorePoint()));
            }
            args.addAll(List.of("--config", archived.config().toString()));
            long started = System.nanoTime();
            if (signal == null) {
                CellarCli.Run run = new CellarCli(Map.of()).asServerUser().run(args.toArray(String[]::new));
                assertThat(run.exitCode()).as("restore " + i + " to marker " + marker.number() + " by " + kind + ": " + run).isZero();
                if (start) {
                    assertThat(highestMarker(port)).as("restore " + i + " to marker " + marker.number() + " by " + kind)
                            .isEqualTo(marker.number());
                    promoted++;
                }
            } else {
                long delayMillis = 300 + random.nextInt(5000);
                interrupt(args, signal, delayMillis);
                interrupted++;
            }
            System.out.printf("restore %2d: marker %d by %-4s%s%s in %d ms%n", i, marker.number(), kind, start ? " --start" : "",
                    signal == null ? "" : " interrupted by SIG" + signal, (System.nanoTime() - started) / 1_000_000);
            stopWhenSettled(dir);
        }
        assertThat(promoted).isEqualTo(6);
        assertThat(interrupted).isEqualTo(3);
        assertNothingLeft();
    }

    @Test
    @Order(3)
    void aRestoreWithoutStartLeavesNothingOnceItsRecoveryHasEnded() throws Exception {
        Marker marker = markers.get(6);
        Path dir = archived.restoreDir("manual");
        int port = ArchivedCluster.freePort();
        archived.cellarOk("restore", "pitr", "-D", dir.toString(), "--target-name", marker.restorePoint(),
                "--port", Integer.toString(port), "--archive-mode", "off");
        assertThat(restoreSpools()).as("spool folders right after a restore without --start").isEmpty();

        ProcessResult start = ProcessRunner.run(List.of(archived.cluster().binaries().path("pg_ctl").toString(), "-D", dir.toString(),
                "-l", dir.resolve("manual-start.log").toString(), "-w", "-t", "120", "start"), Map.of(), ServerUser.name());
        assertThat(start.exitCode()).as(start.stderrTail()).isZero();
        awaitPromotion(port);
        assertThat(highestMarker(port)).isEqualTo(marker.number());
        // the server is still running: only the end of its recovery made the agent go
        assertNothingLeft();
        archived.stopRestored(dir);
    }

    @Test
    @Order(5)
    void aFlippedByteInAChunkIsRefusedByTheRestoreAndNothingIsLeftThatLooksRestored() throws Exception {
        // physical restore reads chunks without re-hashing them (AES-GCM authenticates them): damage is still refused
        Marker marker = markers.get(MARKERS - 1);
        BackupManifest backup = new BackupCatalog(archived.openRepository()).all().stream()
                .filter(b -> b.id().equals(newerBackup)).findFirst().orElseThrow();
        ChunkRef ref = backup.physical().files().stream().filter(f -> !f.chunks().isEmpty())
                .max(Comparator.comparingLong(f -> f.size())).orElseThrow().chunks().get(0);
        Path chunk = archived.home().resolve("repo").resolve(ChunkStore.objectKey(ref.id()));
        byte[] original = Files.readAllBytes(chunk);
        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x01;
        Path dir = archived.restoreDir("damaged");
        Files.write(chunk, flipped);
        try {
            CellarCli.Run run = archived.cellar("restore", "pitr", "-D", dir.toString(), "--target-name", marker.restorePoint(),
                    "--archive-mode", "off");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(10);
            assertThat(run.toString()).contains(ChunkStore.objectKey(ref.id()), "is corrupt");
        } finally {
            Files.write(chunk, original);
        }
        // partly written, as any failed restore: nothing PostgreSQL would take for a finished one
        assertThat(dir.resolve("recovery.signal")).doesNotExist();
        assertThat(dir.resolve("backup_label")).doesNotExist();
        assertNothingLeft();

        archived.cellarOk("restore", "pitr", "-D", dir.toString(), "--force", "--target-name", marker.restorePoint(),
                "--archive-mode", "off");
        assertThat(dir.resolve("recovery.signal")).exists();
        assertThat(dir.resolve("backup_label")).exists();
    }

    @Test
    @Order(4)
    void pointInTimeRestoresAreAuditedWithTargetBackupAndDuration() throws Exception {
        Path dir = archived.restoreDir("audited");
        Marker marker = markers.get(5);
        archived.cellarOk("restore", "pitr", "-D", dir.toString(), "--target-xid", marker.xid(), "--archive-mode", "off");
        Path beyondDir = archived.restoreDir("audited-beyond");
        CellarCli.Run beyond = archived.cellar("restore", "pitr", "-D", beyondDir.toString(),
                "--target-time", PG_TIME.format(Instant.now().plusSeconds(3600).atOffset(ZoneOffset.UTC)));
        assertThat(beyond.exitCode()).as(beyond.toString()).isEqualTo(17);

        // SIGTERM while the files are restored (its spool exists by then): the restore cleans up and audits itself
        Path interruptedDir = archived.restoreDir("audited-interrupted");
        Process interrupted = new CellarCli(Map.of()).asServerUser().start("restore", "pitr", "-D", interruptedDir.toString(), "--start",
                "--target-name", marker.restorePoint(), "--port", Integer.toString(ArchivedCluster.freePort()), "--archive-mode", "off",
                "--config", archived.config().toString());
        Instant deadline = Instant.now().plusSeconds(120);
        while (restoreSpools().isEmpty() && interrupted.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(restoreSpools()).as("the restore's spool while it runs").isNotEmpty();
        long signalledAt = System.nanoTime();
        jvmOf(interrupted).destroy();
        assertThat(interrupted.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        System.out.printf("interrupted restore exited %d ms after SIGTERM with %d: %s%n", (System.nanoTime() - signalledAt) / 1_000_000,
                interrupted.exitValue(), CellarCli.stderrSoFar(interrupted));
        assertNothingLeft();

        JsonNode audit = JSON.readTree(archived.cellarOk("audit", "--json").stdout());
        List<JsonNode> pitr = new ArrayList<>();
        (audit.has("records") ? audit.path("records") : audit).forEach(r -> {
            if (r.path("operation").asText().equals("restore.pitr")) {
                pitr.add(r);
            }
        });
        JsonNode ok = pitr.stream().filter(r -> r.path("detail").asText().contains("transaction " + marker.xid())).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no audit record of the restore to transaction " + marker.xid() + " in " + pitr));
        assertThat(ok.path("result").asText()).isEqualTo("ok");
        assertThat(ok.path("target").asText()).isEqualTo(dir.toString());
        assertThat(ok.path("detail").asText()).contains("backup " + newerBackup);
        assertThat(ok.path("durationMillis").asLong()).isPositive();
        JsonNode failed = pitr.stream().filter(r -> r.path("target").asText().equals(beyondDir.toString())).findFirst()
                .orElseThrow(() -> new AssertionError("no audit record of the refused restore in " + pitr));
        assertThat(failed.path("result").asText()).isEqualTo("failed");
        assertThat(failed.path("detail").asText()).contains("later than the newest archived WAL");
        JsonNode signalled = pitr.stream().filter(r -> r.path("target").asText().equals(interruptedDir.toString())).findFirst()
                .orElseThrow(() -> new AssertionError("no audit record of the interrupted restore in " + pitr));
        assertThat(signalled.path("result").asText()).isEqualTo("interrupted");
        assertThat(signalled.path("detail").asText()).contains("restore point '" + marker.restorePoint() + "'", "stopped by a signal");
    }

    // ---- the cluster and its markers

    private Marker mark(int k) throws Exception {
        try (Connection c = archived.cluster().connect(DB); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            String xid;
            s.execute("INSERT INTO \"Ledger\".\"Entries\" (\"Marker\", \"Note\") SELECT " + k + ", md5(g::text) FROM generate_series(1, 300) g");
            try (ResultSet rs = s.executeQuery("SELECT txid_current()::text")) {
                rs.next();
                xid = rs.getString(1);
            }
            c.commit();
            c.setAutoCommit(true);
            String restorePoint = "marker " + k;
            s.execute("SELECT pg_create_restore_point('" + restorePoint + "')");
            Instant time;
            String lsn;
            try (ResultSet rs = s.executeQuery("SELECT clock_timestamp(), pg_current_wal_insert_lsn()::text")) {
                rs.next();
                time = rs.getObject(1, OffsetDateTime.class).toInstant();
                lsn = rs.getString(2);
            }
            Thread.sleep(5);
            // unrelated work between markers, some of it rolled back
            s.execute("UPDATE \"Ledger\".\"Entries\" SET \"Note\" = \"Note\" || '.' WHERE \"Marker\" = 0 AND id % 7 = " + k % 7);
            c.setAutoCommit(false);
            s.execute("DELETE FROM \"Ledger\".\"Entries\" WHERE \"Marker\" = " + k);
            c.rollback();
            c.setAutoCommit(true);
            return new Marker(k, xid, lsn, time, restorePoint);
        }
    }

    private String backupId() throws Exception {
        return JSON.readTree(archived.cellarOk("backup", "physical", "--json").stdout()).path("id").asText();
    }

    private static int highestMarker(int port) throws Exception {
        try (Connection c = ArchivedCluster.connect(port, DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(\"Marker\") FROM \"Ledger\".\"Entries\" WHERE \"Note\" <> 'tail'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitPromotion(int port) throws Exception {
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
        throw new AssertionError("restored server on port " + port + " did not promote within 120 s");
    }

    // ---- interrupting a restore

    /** Starts a restore and sends the Cellar JVM (not the runuser around it) a signal after a while. */
    private void interrupt(List<String> args, String signal, long delayMillis) throws Exception {
        Process process = new CellarCli(Map.of()).asServerUser().start(args.toArray(String[]::new));
        Thread.sleep(delayMillis);
        ProcessHandle jvm = jvmOf(process);
        if (jvm != null) {
            if (signal.equals("KILL")) {
                jvm.destroyForcibly();
            } else {
                jvm.destroy();
            }
        }
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("restore did not end within 60 s of SIG" + signal + ": " + CellarCli.stderrSoFar(process));
        }
    }

    /**
     * Stops the server on {@code dir}, once a {@code pg_ctl start} that a killed restore had begun
     * has finished (it outlives the restore and would bring the server up after a stop).
     */
    private void stopWhenSettled(Path dir) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (pgCtlRunsOn(dir) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        archived.stopRestored(dir);
    }

    private static boolean pgCtlRunsOn(Path dir) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .map(p -> commandLine(Long.parseLong(p.getFileName().toString())))
                    .anyMatch(command -> command.contains("pg_ctl") && command.contains(dir.toString()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The restore's JVM itself: when the tests run as root, the process started is runuser, which
     * does not pass SIGKILL on; and the restore's WAL agent is a JVM among its descendants too.
     */
    private static ProcessHandle jvmOf(Process process) {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .filter(p -> commandLine(p.pid()).split(" ")[0].endsWith("/java") && commandLine(p.pid()).contains(" restore pitr "))
                .findFirst().orElse(null);
    }

    // ---- what a restore may leave behind

    /** Fails unless, within a minute, no Cellar process of a restore runs and no restore spool folder is left. */
    private void assertNothingLeft() throws InterruptedException {
        Instant deadline = Instant.now().plus(SETTLE);
        List<String> processes = restoreProcesses();
        List<Path> spools = restoreSpools();
        while ((!processes.isEmpty() || !spools.isEmpty()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            processes = restoreProcesses();
            spools = restoreSpools();
        }
        assertThat(processes).as("Cellar processes of restores still running").isEmpty();
        assertThat(spools).as("restore spool folders left behind").isEmpty();
    }

    /**
     * Java processes running cellar.jar for this class's repository as a restore ({@code restore
     * pitr}) or serving a restore's spool ({@code wal agent}, {@code wal get}); the primary's own
     * archiving agent uses the spool root and is not one of them.
     */
    private List<String> restoreProcesses() {
        String home = archived.home().toString();
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                String command = commandLine(Long.parseLong(proc.getFileName().toString()));
                if (!command.contains("cellar.jar") || !command.contains(home)) {
                    continue;
                }
                boolean restore = command.contains(" restore pitr ");
                boolean servesRestore = command.contains(" wal ") && (command.contains("/restore-") || command.contains("--recovery-of"));
                if (restore || servesRestore) {
                    found.add(proc.getFileName() + ": " + command);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    /** Folders (and files) a restore made in the spool folder: everything but the primary's own agent files. */
    private List<Path> restoreSpools() {
        Path spool = archived.home().resolve("spool");
        try (Stream<Path> entries = Files.list(spool)) {
            return entries.filter(p -> p.getFileName().toString().contains("restore")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }
}
