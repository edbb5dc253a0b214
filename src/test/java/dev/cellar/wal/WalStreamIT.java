package dev.cellar.wal;

import dev.cellar.it.TestFolders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.ProcessResult;
import dev.cellar.pg.ProcessRunner;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code cellar wal stream} against a real server, run in-process through {@link WalStreamer}.
 * The streamer runs as the test's own user: it is the only writer of its repository and spool
 * (no archive_command shares them), and pg_receivewal and pg_waldump are client programs that
 * run as any user, so nothing has to be handed to the server's OS user.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalStreamIT {
    private static final String SLOT = "walstream_it";
    private static final Duration RPO = Duration.ofSeconds(1);
    private static final long SEG = WalFileName.DEFAULT_SEGMENT_SIZE;

    private static Path work;
    private static LocalCluster cluster;
    private static PgConnectionSpec database;
    private static WalArchive archive;
    private static WalStreamer streamer;
    private static Thread streamThread;
    private static final AtomicReference<Throwable> streamFailure = new AtomicReference<>();
    private static final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startClusterAndStreamer() throws Exception {
        work = TestFolders.create("cellar-walstream-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-walstream-it-pg"), PgBinaries.locate(null),
                Map.of("synchronous_commit", "on"));
        cluster.execute("postgres", "CREATE TABLE marks (id serial PRIMARY KEY, note text, at timestamptz DEFAULT now())");
        database = new PgConnectionSpec(cluster.host(), cluster.port(), cluster.superuser(), "postgres", null);
        Repository repository = Repository.init(new LocalStorage(work.resolve("repo")), RepositorySecret.passphrase("walstream".toCharArray()),
                ChunkerParameters.DEFAULT, Clock.systemUTC());
        archive = new WalArchive(repository, 3);
        streamer = new WalStreamer(database, archive, options(SLOT, true), WalStreamIT::event, Clock.systemUTC());
        WalStreamer.Prepared prepared = streamer.prepare();
        assertThat(prepared.slotCreated()).isTrue();
        assertThat(prepared.spool()).endsWith(Path.of("stream", prepared.systemIdentifier()));
        streamThread = Thread.ofPlatform().name("wal-stream").start(() -> {
            try {
                streamer.run();
            } catch (Throwable t) {
                streamFailure.set(t);
            }
        });
        awaitTrue("the first partial segment is shipped", Duration.ofSeconds(20), () -> streamer.status().lastPartial() != null);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (streamer != null) {
            streamer.stop();
            streamThread.join(Duration.ofSeconds(30));
        }
        if (cluster != null) {
            LocalCluster.stopServer(cluster.binaries(), cluster.dataDir(), "immediate");
            cluster.close();
        }
    }

    private static WalStreamOptions options(String slot, boolean create) {
        return WalStreamOptions.of(slot, create, work.resolve("spool"), RPO, null)
                .withWaits(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    private static WalStreamOptions withBinDir(Path binDir) {
        return WalStreamOptions.of("bin_test_slot", true, work.resolve("spool"), RPO, binDir);
    }

    private static void event(String message) {
        events.add(message);
        System.out.println("[stream] " + message);
    }

    @Test
    @Order(1)
    void aCommitIsInTheRepositoryWithinTwiceTheRpo() throws Exception {
        Commit commit = commitRow("first");
        Thread.sleep(RPO.multipliedBy(2).toMillis());
        assertThat(waldump(commit.lsnBefore())).containsPattern(commitOf(commit));
        assertNoStreamFailure();
    }

    @Test
    @Order(2)
    void commitToRepositoryDelayOverFiftyCommits() throws Exception {
        // a watcher notes when the repository's known position passes each commit
        List<long[]> advances = Collections.synchronizedList(new ArrayList<>());
        Thread watcher = Thread.ofVirtual().start(() -> {
            String last = null;
            while (!Thread.currentThread().isInterrupted()) {
                String shipped = streamer.status().shippedLsn();
                if (shipped != null && !shipped.equals(last)) {
                    advances.add(new long[] {System.nanoTime(), Lsn.parse(shipped)});
                    last = shipped;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Random random = new Random(42);
        List<long[]> commits = new ArrayList<>();
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement()) {
            for (int i = 0; i < 50; i++) {
                st.execute("INSERT INTO marks (note) VALUES ('delay " + i + "')");
                long acknowledged = System.nanoTime();
                try (ResultSet rs = st.executeQuery("SELECT pg_current_wal_flush_lsn()::text")) {
                    rs.next();
                    commits.add(new long[] {acknowledged, Lsn.parse(rs.getString(1))});
                }
                Thread.sleep(50 + random.nextInt(600));
            }
        }
        long last = commits.get(commits.size() - 1)[1];
        // seen by the watcher, not just by this thread: otherwise the last commit may have no recorded shipment
        awaitTrue("the last commit is shipped", Duration.ofSeconds(10), () -> {
            synchronized (advances) {
                return advances.stream().anyMatch(a -> a[1] >= last);
            }
        });
        watcher.interrupt();
        watcher.join();
        List<Long> delays = new ArrayList<>();
        synchronized (advances) {
            for (long[] commit : commits) {
                advances.stream().filter(a -> a[1] >= commit[1] && a[0] >= commit[0]).findFirst()
                        .ifPresent(a -> delays.add((a[0] - commit[0]) / 1_000_000));
            }
        }
        assertThat(delays).hasSize(commits.size());
        Collections.sort(delays);
        long median = delays.get(delays.size() / 2);
        long max = delays.get(delays.size() - 1);
        System.out.printf("MEASURED commit -> repository delay over %d commits, wal.rpo-seconds 1: median %d ms, p90 %d ms, max %d ms"
                + " (last partial shipment took %d ms)%n", delays.size(), median, delays.get(delays.size() * 9 / 10), max,
                streamer.status().lastShipMillis());
        assertThat(max).as("no commit waits more than the RPO plus one shipment").isLessThan(2500);
        assertNoStreamFailure();
    }

    @Test
    @Order(3)
    void finishedSegmentsAreArchivedWithoutGapsAndTheirPartialsRemoved() throws Exception {
        String firstSegment = currentSegment();
        for (int i = 0; i < 3; i++) {
            cluster.execute("postgres", "INSERT INTO marks (note) SELECT 'bulk ' || g FROM generate_series(1, 2000) g");
            cluster.execute("postgres", "SELECT pg_switch_wal()");
        }
        commitRow("after switches");
        String current = currentSegment();
        long firstNumber = WalFileName.parse(firstSegment).segmentNumber(SEG);
        long currentNumber = WalFileName.parse(current).segmentNumber(SEG);
        assertThat(currentNumber - firstNumber).isGreaterThanOrEqualTo(3);
        awaitTrue("segments up to the current one are archived, and its partial", Duration.ofSeconds(15),
                () -> archive.contains(WalFileName.segment(1, currentNumber - 1, SEG)) && archive.contains(WalFileName.parse(current + ".partial")));

        List<WalFileName> archived = archive.list();
        List<Long> segments = archived.stream().filter(f -> f.kind() == WalFileName.Kind.SEGMENT).map(f -> f.segmentNumber(SEG)).toList();
        long lowest = segments.get(0);
        assertThat(segments).as("no gaps").containsExactlyElementsOf(
                java.util.stream.LongStream.range(lowest, currentNumber).boxed().toList());
        assertThat(archived.stream().filter(f -> f.kind() == WalFileName.Kind.PARTIAL).map(WalFileName::segmentName))
                .as("only the segment still being written has a partial").containsExactly(current);
        Path spool;
        try (var spoolFiles = Files.list(work.resolve("spool").resolve("stream"))) {
            spool = spoolFiles.findFirst().orElseThrow();
        }
        awaitTrue("shipped finished segments leave the spool, except the newest", Duration.ofSeconds(5), () -> {
            try (var files = Files.list(spool)) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.length() == 24).count() <= 1;
            } catch (IOException e) {
                return false;
            }
        });
        assertNoStreamFailure();
    }

    @Test
    @Order(4)
    void refusalsAreClearBeforeAnythingStarts() throws IOException {
        // the slot is in use by the running stream
        assertThatThrownBy(() -> new WalStreamer(database, archive, options(SLOT, false), m -> { }, Clock.systemUTC()).prepare())
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LOCKED);
                    assertThat(e.getMessage()).contains(SLOT).contains("in use");
                });
        // a slot that does not exist, without --create-slot
        assertThatThrownBy(() -> new WalStreamer(database, archive, options("no_such_slot", false), m -> { }, Clock.systemUTC()).prepare())
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.hint()).contains("--create-slot");
                });
        // a user without REPLICATION
        cluster.execute("postgres", "CREATE ROLE plain_user LOGIN");
        PgConnectionSpec plain = new PgConnectionSpec(cluster.host(), cluster.port(), "plain_user", "postgres", null);
        assertThatThrownBy(() -> new WalStreamer(plain, archive, options("other_slot", true), m -> { }, Clock.systemUTC()).prepare())
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
                    assertThat(e.getMessage()).contains("plain_user").contains("REPLICATION");
                });
        // pg_receivewal missing, and too old: the built-in receiver streams instead, and says why
        Path emptyBin = Files.createDirectories(work.resolve("empty-bin"));
        List<String> said = new CopyOnWriteArrayList<>();
        WalStreamer.Prepared withoutReceivewal = new WalStreamer(database, archive, withBinDir(emptyBin), said::add, Clock.systemUTC()).prepare();
        assertThat(withoutReceivewal.pgReceivewal()).isNull();
        assertThat(withoutReceivewal.receiver()).contains("built-in receiver");
        assertThat(said).anyMatch(m -> m.contains("pg_receivewal not found") && m.contains("built-in receiver"));
        Path oldBin = Files.createDirectories(work.resolve("old-bin"));
        Path fake = oldBin.resolve("pg_receivewal");
        Files.writeString(fake, "#!/bin/sh\necho 'pg_receivewal (PostgreSQL) 11.22'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        said.clear();
        WalStreamer.Prepared tooOld = new WalStreamer(database, archive, withBinDir(oldBin), said::add, Clock.systemUTC()).prepare();
        assertThat(tooOld.pgReceivewal()).isNull();
        assertThat(said).anyMatch(m -> m.contains("11.22") && m.contains("older than the server") && m.contains("built-in receiver"));
        cluster.execute("postgres", "SELECT pg_drop_replication_slot('bin_test_slot')");
        assertNoStreamFailure();
    }

    @Test
    @Order(5)
    void serversThatCannotStreamAreRefusedWithTheSettingToChange() throws Exception {
        refuse(Map.of("wal_level", "minimal", "max_wal_senders", "0"), "wal_level = minimal");
        refuse(Map.of("max_wal_senders", "0"), "max_wal_senders = 0");
    }

    private static void refuse(Map<String, String> settings, String expected) throws IOException {
        try (LocalCluster other = LocalCluster.start(TestFolders.create("cellar-walstream-it-refuse"), cluster.binaries(), settings)) {
            PgConnectionSpec spec = new PgConnectionSpec(other.host(), other.port(), other.superuser(), "postgres", null);
            assertThatThrownBy(() -> new WalStreamer(spec, archive, options(SLOT, true), m -> { }, Clock.systemUTC()).prepare())
                    .isInstanceOfSatisfying(CellarException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                        assertThat(e.getMessage()).contains(expected);
                        assertThat(e.hint()).contains("postgresql.conf");
                    });
        }
    }

    @Test
    @Order(6)
    void aCrashLosesNoAcknowledgedCommitAndTheStreamResumesAfterTheRestart() throws Exception {
        // synchronous replication to the stream: a commit is acknowledged once pg_receivewal flushed it
        cluster.execute("postgres", "ALTER SYSTEM SET synchronous_standby_names = '" + SLOT + "'");
        cluster.execute("postgres", "SELECT pg_reload_conf()");
        awaitTrue("the stream is a synchronous standby", Duration.ofSeconds(10), () -> {
            try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")) {
                rs.next();
                return rs.getInt(1) == 1;
            } catch (SQLException e) {
                return false;
            }
        });
        int restartsBefore = streamer.status().restarts();
        AtomicReference<Commit> lastAcknowledged = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try (Connection c = cluster.connect("postgres")) {
                for (int i = 0; ; i++) {
                    lastAcknowledged.set(commitRow(c, "crash " + i));
                }
            } catch (RuntimeException | SQLException e) {
                // the server went away under us
            }
        });
        Thread.sleep(1500);
        cluster.crash();
        writer.join(Duration.ofSeconds(20));
        Commit last = lastAcknowledged.get();
        assertThat(last).isNotNull();
        awaitTrue("the streamer noticed the server went away", Duration.ofSeconds(20), () -> streamer.status().restarts() > restartsBefore);
        assertThat(waldump(last.lsnBefore())).as("last acknowledged commit " + last + " is in the repository")
                .containsPattern(commitOf(last));

        // the server comes back: the stream resumes (a synchronous commit returns only then)
        ProcessRunner.requireSuccess(List.of(cluster.binaries().path("pg_ctl").toString(), "-D", cluster.dataDir().toString(), "-w",
                "-l", cluster.dataDir().resolveSibling("restart.log").toString(), "start"), Map.of(), cluster.osUser());
        Commit after = commitRow("after restart");
        cluster.execute("postgres", "ALTER SYSTEM RESET synchronous_standby_names");
        cluster.execute("postgres", "SELECT pg_reload_conf()");
        Thread.sleep(RPO.multipliedBy(2).toMillis());
        assertThat(streamer.status().state()).isEqualTo("streaming");
        assertThat(waldump(after.lsnBefore())).containsPattern(commitOf(after));
        assertThat(events).anyMatch(e -> e.contains("the receiver stopped") && e.contains("restarting in"));
        assertNoStreamFailure();
    }

    @Test
    @Order(7)
    void stoppingShipsThePartialOneLastTime() throws Exception {
        commitRow("before stop 1");
        Thread.sleep(300);
        Commit last = commitRow("before stop 2"); // within the RPO of the previous shipment
        streamer.stop();
        streamThread.join(Duration.ofSeconds(30));
        assertThat(streamThread.isAlive()).isFalse();
        assertNoStreamFailure();
        assertThat(streamer.status().state()).isEqualTo("stopped");
        assertThat(waldump(last.lsnBefore())).containsPattern(commitOf(last));
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).as("pg_receivewal is gone").isFalse();
        }
    }

    @Test
    @Order(8)
    void theCommandLineStreamsPrintsJsonStatusAndShipsThePartialOnSigterm() throws Exception {
        Path config = work.resolve("cellar.yaml");
        Files.writeString(config, "repository:\n  path: " + work.resolve("repo") + "\n"
                + "database:\n  host: " + cluster.host() + "\n  port: " + cluster.port() + "\n  user: postgres\n  name: postgres\n"
                + "wal:\n  spool-path: " + work.resolve("spool") + "\n  stream-slot: " + SLOT + "\n  rpo-seconds: 1\n");
        Path stdout = work.resolve("cli-stdout.txt");
        Path stderr = work.resolve("cli-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", Path.of("target", "cellar.jar").toAbsolutePath() + java.io.File.pathSeparator
                + Path.of("target", "test-classes").toAbsolutePath(), "dev.cellar.cli.WalStreamTestMain",
                "--config", config.toString(), "--status-interval", "1", "--json")
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CELLAR_") || k.startsWith("PG"));
        builder.environment().put("CELLAR_PASSPHRASE", "walstream");
        Process process = builder.start();
        try {
            awaitTrue("the command prints a streaming status line", Duration.ofSeconds(30),
                    () -> read(stdout).contains("\"state\":\"streaming\""));
            Commit last = commitRow("before sigterm");
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(read(stderr)).isZero();
            assertThat(read(stderr)).contains("streaming WAL of system").contains("stopped:");
            String lastLine = read(stdout).strip().lines().reduce((a, b) -> b).orElseThrow();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lastLine);
            assertThat(json.get("state").asText()).isEqualTo("stopped");
            assertThat(json.get("slot").asText()).isEqualTo(SLOT);
            assertThat(waldump(last.lsnBefore())).containsPattern(commitOf(last));
        } finally {
            process.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    // ---- helpers

    /** A committed transaction: its xid, and a position at or before its commit record. */
    record Commit(long xid, long lsnBefore) {
    }

    /** pg_waldump's line for the commit record of that transaction. */
    private static String commitOf(Commit commit) {
        return "tx:\\s+" + commit.xid() + ", lsn: .*desc: COMMIT";
    }

    private static Commit commitRow(String note) throws SQLException {
        try (Connection c = cluster.connect("postgres")) {
            return commitRow(c, note);
        }
    }

    private static Commit commitRow(Connection c, String note) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO marks (note) VALUES ('" + note + "')");
            Commit commit;
            try (ResultSet rs = st.executeQuery("SELECT txid_current(), pg_current_wal_insert_lsn()::text")) {
                rs.next();
                commit = new Commit(rs.getLong(1), Lsn.parse(rs.getString(2)));
            }
            c.commit();
            return commit;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static String currentSegment() throws SQLException {
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_current_wal_lsn())")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * What pg_waldump finds from {@code from} on in WAL fetched from the repository (the
     * segment holding it and the next, each whole or as its last shipped partial).
     */
    private static String waldump(long from) throws IOException {
        Path dir = Files.createTempDirectory(work, "waldump");
        long first = from / SEG;
        for (long n = first; n <= first + 1; n++) {
            WalFileName segment = WalFileName.segment(1, n, SEG);
            archive.fetch(segment, dir.resolve(segment.name()));
        }
        ProcessResult result = ProcessRunner.run(List.of(cluster.binaries().path("pg_waldump").toString(), "-p", dir.toString(),
                "-s", Lsn.format(from)), Map.of(), null);
        // pg_waldump ends with an error at the end of the WAL it has: that is expected
        return result.stdout();
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertNoStreamFailure();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; status " + streamer.status() + "; events " + events);
            }
            Thread.sleep(20);
        }
    }

    private static void assertNoStreamFailure() {
        Throwable t = streamFailure.get();
        if (t != null) {
            throw new AssertionError("the streamer failed", t);
        }
    }
}
