package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * The built-in receiver ({@link ReplicationReceiver}), which streams from servers newer than any
 * pg_receivewal on the host, held to what pg_receivewal guarantees, on the machine's own
 * PostgreSQL: a bin folder without pg_receivewal makes {@code cellar wal stream} use it. Every
 * finished segment must be byte for byte the server's own, and a synchronous commit must wait
 * for (and get) the receiver's flush confirmation. The version matrix runs it on 16 to 18.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuiltInReceiverIT {
    private static final String SLOT = "builtin_it";

    private static LocalCluster cluster;
    private static WalArchive archive;
    private static PgConnectionSpec database;
    private static WalStreamOptions options;
    private static WalStreamer streamer;
    private static Thread streamThread;
    private static final AtomicReference<Throwable> streamFailure = new AtomicReference<>();
    private static final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startClusterAndStreamer() throws Exception {
        Path work = TestFolders.create("cellar-builtin-receiver-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-builtin-receiver-it-pg"), PgBinaries.locate(null),
                Map.of("synchronous_commit", "on"));
        cluster.execute("postgres", "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)");
        database = new PgConnectionSpec(cluster.host(), cluster.port(), cluster.superuser(), "postgres", null);
        Repository repository = Repository.init(new LocalStorage(work.resolve("repo")), RepositorySecret.passphrase("builtin".toCharArray()),
                ChunkerParameters.DEFAULT, Clock.systemUTC());
        archive = new WalArchive(repository, 3);
        Path noReceivewal = Files.createDirectories(work.resolve("bin-without-pg_receivewal"));
        options = WalStreamOptions.of(SLOT, true, work.resolve("spool"), Duration.ofSeconds(1), noReceivewal)
                .withWaits(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(1));
        streamer = new WalStreamer(database, archive, options, events::add, Clock.systemUTC());
        WalStreamer.Prepared prepared = streamer.prepare();
        assertThat(prepared.pgReceivewal()).isNull();
        assertThat(prepared.receiver()).contains("built-in receiver");
        startStreaming();
    }

    private static void startStreaming() throws InterruptedException {
        streamThread = Thread.ofPlatform().name("builtin-stream").start(() -> {
            try {
                streamer.run();
            } catch (Throwable t) {
                streamFailure.set(t);
            }
        });
        awaitTrue("the stream holds its slot", Duration.ofSeconds(30), () -> slotActive());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (streamer != null) {
            streamer.stop();
            streamThread.join(Duration.ofSeconds(30));
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void finishedSegmentsAreByteForByteTheServersOwn() throws Exception {
        String segment;
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO notes (body) SELECT repeat('wal ', 200) || n FROM generate_series(1, 20000) n");
            try (ResultSet rs = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                rs.next();
                segment = rs.getString(1);
            }
            // something after the switch, so the switched segment is certainly complete on the wire
            s.execute("INSERT INTO notes (body) VALUES ('after the switch')");
        }
        WalFileName name = WalFileName.parse(segment);
        awaitTrue(segment + " in the repository", Duration.ofSeconds(60), () -> archive.contains(name));
        byte[] serverOwn = Files.readAllBytes(cluster.dataDir().resolve("pg_wal").resolve(segment));
        assertThat(archive.read(name)).as(segment + " as received").isEqualTo(serverOwn);
        assertThat(archive.contains(WalFileName.parse(segment + ".partial"))).as("its partial is gone").isFalse();
        assertNoStreamFailure();
    }

    @Test
    @Order(2)
    void aSynchronousCommitIsConfirmedByTheReceiversFlush() throws Exception {
        cluster.execute("postgres", "ALTER SYSTEM SET synchronous_standby_names = '" + SLOT + "'");
        cluster.execute("postgres", "SELECT pg_reload_conf()");
        awaitTrue("the stream is a synchronous standby", Duration.ofSeconds(20), () -> syncStandbys() == 1);
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            // a commit nobody confirms would wait forever: the timeout turns that into a failure
            s.execute("SET statement_timeout = '20s'");
            Instant before = Instant.now();
            for (int i = 0; i < 20; i++) {
                s.execute("INSERT INTO notes (body) VALUES ('synchronous " + i + "')");
            }
            System.out.println("20 synchronous commits took " + Duration.between(before, Instant.now()).toMillis() + " ms");
        } finally {
            cluster.execute("postgres", "ALTER SYSTEM RESET synchronous_standby_names");
            cluster.execute("postgres", "SELECT pg_reload_conf()");
        }
        assertNoStreamFailure();
    }

    @Test
    @Order(3)
    void afterAServerRestartTheStreamResumesAndTheSegmentItSpansIsStillTheServersOwn() throws Exception {
        int restartsBefore = streamer.status().restarts();
        cluster.execute("postgres", "INSERT INTO notes (body) SELECT 'before the restart ' || n FROM generate_series(1, 2000) n");
        cluster.stop();
        cluster.restart();
        awaitTrue("the stream reconnected", Duration.ofSeconds(90), () -> streamer.status().restarts() > restartsBefore && slotActive());
        String segment;
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO notes (body) SELECT 'after the restart ' || n FROM generate_series(1, 2000) n");
            try (ResultSet rs = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                rs.next();
                segment = rs.getString(1);
            }
            s.execute("INSERT INTO notes (body) VALUES ('after the switch')");
        }
        WalFileName name = WalFileName.parse(segment);
        awaitTrue(segment + " in the repository", Duration.ofSeconds(60), () -> archive.contains(name));
        assertThat(archive.read(name)).as(segment + ", received before and after the restart")
                .isEqualTo(Files.readAllBytes(cluster.dataDir().resolve("pg_wal").resolve(segment)));
        assertThat(events).anyMatch(e -> e.contains("the receiver stopped") && e.contains("restarting in"));
        assertNoStreamFailure();
    }

    @Test
    @Order(4)
    void stoppingShipsThePartialSegmentAndLeavesItResumable() throws Exception {
        String segment;
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("INSERT INTO notes (body) VALUES ('last') RETURNING pg_walfile_name(pg_current_wal_lsn())")) {
            rs.next();
            segment = rs.getString(1);
        }
        streamer.stop();
        streamThread.join(Duration.ofSeconds(30));
        assertThat(streamThread.isAlive()).isFalse();
        assertNoStreamFailure();
        assertThat(archive.contains(WalFileName.parse(segment + ".partial"))).as(segment + ".partial shipped at the stop").isTrue();
        awaitTrue("the slot is released", Duration.ofSeconds(20), () -> !slotActive());
        assertThat(events).anyMatch(e -> e.contains("starting to stream WAL at"));
    }

    @Test
    @Order(5)
    void afterAPromotionTheStreamFollowsTheNewTimelineAndShipsItsHistory() throws Exception {
        // the server becomes a standby of nobody, then is promoted: timeline 2 branches off in the segment the spool ends with
        cluster.stop();
        Path signal = cluster.dataDir().resolve("standby.signal");
        Files.writeString(signal, "");
        if (cluster.osUser() != null) {
            Files.setOwner(signal, signal.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(cluster.osUser()));
        }
        cluster.restart();
        cluster.execute("postgres", "SELECT pg_promote(true, 60)");
        streamer = new WalStreamer(database, archive, options, events::add, Clock.systemUTC());
        streamer.prepare();
        startStreaming();
        String segment;
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO notes (body) SELECT 'timeline 2, ' || n FROM generate_series(1, 2000) n");
            try (ResultSet rs = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                rs.next();
                segment = rs.getString(1);
            }
            s.execute("INSERT INTO notes (body) VALUES ('after the switch')");
        }
        assertThat(segment).startsWith("00000002");
        WalFileName name = WalFileName.parse(segment);
        awaitTrue(segment + " in the repository", Duration.ofSeconds(60), () -> archive.contains(name));
        assertThat(archive.read(name)).as(segment + ", the first segment of timeline 2")
                .isEqualTo(Files.readAllBytes(cluster.dataDir().resolve("pg_wal").resolve(segment)));
        WalFileName history = WalFileName.parse(WalFileName.historyName(2));
        awaitTrue("00000002.history in the repository", Duration.ofSeconds(10), () -> archive.contains(history));
        assertThat(archive.read(history)).isEqualTo(Files.readAllBytes(cluster.dataDir().resolve("pg_wal").resolve(history.name())));
        assertThat(events).anyMatch(e -> e.contains("starting to stream WAL at") && e.contains("(timeline 2)"));
        assertNoStreamFailure();
    }

    private static boolean slotActive() {
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "' AND active")) {
            rs.next();
            return rs.getInt(1) == 1;
        } catch (Exception e) {
            return false;
        }
    }

    private static int syncStandbys() {
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync' AND application_name = '"
                     + SLOT + "'")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void assertNoStreamFailure() {
        assertThat(streamFailure.get()).as("the stream failed; its events: " + events).isNull();
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertNoStreamFailure();
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + " within " + timeout + "; stream events: " + events);
            }
            Thread.sleep(100);
        }
    }
}
