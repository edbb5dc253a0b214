package dev.cellar.wal;

import dev.cellar.it.TestFolders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.error.ErrorCode;
import dev.cellar.it.CellarCli;
import dev.cellar.it.ServerUser;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.repo.CheapKdfRepositories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WAL archiving through the real command line, run by PostgreSQL itself as archive_command:
 * the Java path, the launcher with a resident agent (markers, the fast path, an agent killed
 * mid-load), repeated and conflicting pushes, and restore_command's answers.
 */
class WalArchivingIT {
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("wal-archiving-it-passphrase");
    private static final Path LAUNCHER = Path.of("cellar").toAbsolutePath();

    private static final CellarCli cli = new CellarCli(Map.of()).asServerUser();
    /** Each test has its own repository: two clusters archiving into one is the conflict exit 16 is for. */
    private Path config;
    private WalArchive archive;
    private static final List<LocalCluster> clusters = new ArrayList<>();
    private static final List<Path> spools = new ArrayList<>();

    @BeforeEach
    void createRepository() throws IOException {
        Path work = ServerUser.newFolder("cellar-wal-it");
        Path passphrase = Files.writeString(work.resolve("passphrase"), PASSPHRASE);
        Files.setPosixFilePermissions(passphrase, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        config = Files.writeString(work.resolve("cellar.yaml"), "repository:\n  path: " + work.resolve("repo")
                + "\n  passphrase-file: " + passphrase + "\nwal:\n  agent-idle-minutes: 5\n");
        // a cheap key derivation: the CLI runs a few dozen times here (the Java path is measured in bench/)
        archive = new WalArchive(CheapKdfRepositories.init(work.resolve("repo"), PASSPHRASE), 3);
        ServerUser.giveAway(work);
    }

    @AfterAll
    static void stopEverything() {
        for (Path spool : spools) {
            stopAgent(spool);
        }
        clusters.forEach(LocalCluster::close);
    }

    @Test
    void archiveCommandOnTheJavaPathArchivesEverySegmentUnchanged() throws Exception {
        Path spool = newSpool();
        LocalCluster cluster = startCluster(cli.commandLine() + " wal push --config " + config + " --spool " + spool + " --no-agent %p");
        cluster.execute("postgres", "CREATE TABLE t AS SELECT g, md5(g::text) AS h FROM generate_series(1, 100000) g");
        String last = null;
        for (int i = 0; i < 2; i++) {
            cluster.execute("postgres", "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 20000) g");
            last = switchWal(cluster);
        }
        // one JVM start and key derivation per segment: slow on a busy machine, which is why the agent exists
        waitUntilArchived(cluster, last, Duration.ofSeconds(180));

        List<WalFileName> archived = segmentsUpTo(last);
        assertThat(archived).as("every segment up to " + last).hasSize((int) WalFileName.parse(last).segment());
        for (WalFileName name : archived) {
            Path inPgWal = cluster.dataDir().resolve("pg_wal").resolve(name.name());
            byte[] stored = archive.read(name);
            assertThat(stored).as(name.name()).hasSize(16 * 1024 * 1024);
            if (Files.exists(inPgWal)) {
                assertThat(Arrays.equals(stored, Files.readAllBytes(inPgWal))).as(name + " equals pg_wal's copy").isTrue();
            }
        }
        assertThat(failedCount(cluster)).isZero();
        assertThat(agentRunning(spool)).as("--no-agent starts no agent").isFalse();
    }

    @Test
    void theAgentShipsAheadTheLauncherAnswersFromMarkersAndAKilledAgentLosesNothing() throws Exception {
        Path spool = newSpool();
        // archiving paused in PostgreSQL (empty archive_command): only the agent ships
        LocalCluster cluster = startCluster("");
        Process agent = cli.start("wal", "agent", "--config", config.toString(), "--spool", spool.toString(),
                "--pg-data", cluster.dataDir().toString());
        waitFor("the agent's socket", Duration.ofSeconds(60), () -> Files.exists(spool.resolve("agent.sock")));
        cluster.execute("postgres", "CREATE TABLE t AS SELECT g, md5(g::text) AS h FROM generate_series(1, 300000) g");
        String paused = switchWal(cluster);
        waitFor("markers of every ready segment", Duration.ofSeconds(60), () -> readyFlags(cluster).stream()
                .allMatch(name -> Files.exists(spool.resolve("pushed").resolve(name))) && !readyFlags(cluster).isEmpty());
        for (String name : readyFlags(cluster)) {
            assertThat(archive.contains(WalFileName.parse(name))).as(name + " archived before PostgreSQL asked").isTrue();
        }

        // the launcher as archive_command: every ready segment is answered from its marker
        setArchiveCommand(cluster, LAUNCHER + " wal push --config " + config + " --spool " + spool + " %p");
        waitUntilArchived(cluster, paused, Duration.ofSeconds(60));
        waitFor("markers consumed", Duration.ofSeconds(10), () -> list(spool.resolve("pushed")).isEmpty());
        assertThat(agent.isAlive()).isTrue();

        // load, and the agent killed in the middle of it: the Java path archives and starts a new agent.
        // The kill waits for the load's second segment, not for a fixed time: on a fast machine the whole load
        // was once shipped by the first agent before a 1.5 s sleep ended, so no segment was left for the Java path.
        long firstAgent = agentPid(spool);
        CountDownLatch twoSegmentsWritten = new CountDownLatch(1);
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 6; i++) {
                cluster.execute("postgres", "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 100000) g");
                cluster.execute("postgres", "SELECT pg_switch_wal()");
                if (i == 1) {
                    twoSegmentsWritten.countDown();
                }
            }
        });
        assertThat(twoSegmentsWritten.await(120, TimeUnit.SECONDS)).as("the load's first two segments").isTrue();
        ProcessHandle.of(firstAgent).ifPresent(ProcessHandle::destroyForcibly);
        load.get();
        // written after the kill, so at least this segment is certainly archived by the Java path
        cluster.execute("postgres", "INSERT INTO t VALUES (0, 'after the kill')");
        String last = switchWal(cluster);
        waitUntilArchived(cluster, last, Duration.ofSeconds(180));

        assertThat(segmentsUpTo(last)).as("no gap in the archive up to " + last).hasSize((int) WalFileName.parse(last).segment());
        assertThat(failedCount(cluster)).isZero();
        waitFor("a new agent started by the Java path", Duration.ofSeconds(30),
                () -> agentRunning(spool) && agentPid(spool) != firstAgent);
        String agentLog = Files.readString(spool.resolve("agent.log"));
        assertThat(agentLog).contains("shipped");
        // the agent compresses a segment's pieces while PostgreSQL writes it; what it stores is still the file, byte for byte
        assertThat(agentLog).as("segments compressed while PostgreSQL wrote them")
                .containsPattern("shipped \\S+ \\(\\d+ -> \\d+ bytes\\) in \\d+ ms, [1-9]\\d* of 16 MiB compressed ahead");
        for (WalFileName name : segmentsUpTo(last)) {
            Path inPgWal = cluster.dataDir().resolve("pg_wal").resolve(name.name());
            if (Files.exists(inPgWal)) {
                assertThat(Arrays.equals(archive.read(name), Files.readAllBytes(inPgWal))).as(name + " equals pg_wal's copy").isTrue();
            }
        }
    }

    @Test
    void pushingTheSameFileTwiceSucceedsAndDifferentContentIsRefusedWith16() throws IOException {
        Path spool = newSpool();
        Path folder = ServerUser.newFolder("cellar-wal-files");
        byte[] original = randomBytes(1 << 20, 1);
        Path file = writeAsServerUser(folder.resolve("0000000100000000000000A1"), original);

        CellarCli.Run first = push(spool, file);
        CellarCli.Run second = push(spool, file);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stdout()).contains("already archived");

        writeAsServerUser(file, randomBytes(1 << 20, 2));
        CellarCli.Run conflict = push(spool, file);
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(ErrorCode.WAL_CONFLICT.exitCode()).isEqualTo(16);
        assertThat(conflict.stderr()).contains("0000000100000000000000A1").contains("different content").contains("HINT");
        assertThat(archive.read(WalFileName.parse("0000000100000000000000A1"))).isEqualTo(original);
    }

    @Test
    void walGetRestoresSegmentsHistoryAndPartialsAndSaysMissingWithExit1() throws IOException {
        Path spool = newSpool();
        Path folder = ServerUser.newFolder("cellar-wal-get");
        byte[] segment = randomBytes(1 << 20, 3);
        byte[] history = "1\t0/3000000\tno recovery target specified\n".getBytes();
        byte[] partial = randomBytes(1 << 19, 4);
        assertThat(push(spool, writeAsServerUser(folder.resolve("0000000100000000000000B1"), segment)).exitCode()).isZero();
        assertThat(push(spool, writeAsServerUser(folder.resolve("00000005.history"), history)).exitCode()).isZero();
        assertThat(push(spool, writeAsServerUser(folder.resolve("0000000100000000000000B2.partial"), partial)).exitCode()).isZero();

        assertThat(get(spool, "0000000100000000000000B1", folder.resolve("RECOVERYXLOG")).exitCode()).isZero();
        assertThat(Files.readAllBytes(folder.resolve("RECOVERYXLOG"))).isEqualTo(segment);
        assertThat(get(spool, "00000005.history", folder.resolve("RECOVERYHISTORY")).exitCode()).isZero();
        assertThat(Files.readAllBytes(folder.resolve("RECOVERYHISTORY"))).isEqualTo(history);
        CellarCli.Run fromPartial = get(spool, "0000000100000000000000B2", folder.resolve("RECOVERYXLOG"));
        assertThat(fromPartial.exitCode()).as(fromPartial.toString()).isZero();
        assertThat(Files.readAllBytes(folder.resolve("RECOVERYXLOG"))).isEqualTo(partial);

        CellarCli.Run missing = get(spool, "00000006.history", folder.resolve("RECOVERYHISTORY"));
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.stderr().strip()).isEqualTo("WAL file 00000006.history is not in the archive");
    }

    @Test
    void theAgentFetchesAheadAndTheLauncherHandsOverPrefetchedSegments() throws Exception {
        Path spool = newSpool();
        Path folder = ServerUser.newFolder("cellar-wal-prefetch");
        List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            segments.add(randomBytes(1 << 20, 10 + i));
            String name = String.format("0000000300000000000000C%d", i);
            assertThat(push(spool, writeAsServerUser(folder.resolve(name), segments.get(i))).exitCode()).isZero();
        }
        Process agent = cli.start("wal", "agent", "--config", config.toString(), "--spool", spool.toString());
        waitFor("the agent's socket", Duration.ofSeconds(60), () -> Files.exists(spool.resolve("agent.sock")));

        assertThat(get(spool, "0000000300000000000000C0", folder.resolve("RECOVERYXLOG")).exitCode()).isZero();
        assertThat(Files.readAllBytes(folder.resolve("RECOVERYXLOG"))).isEqualTo(segments.get(0));
        waitFor("segments fetched ahead", Duration.ofSeconds(30), () -> list(spool.resolve("fetched"))
                .containsAll(List.of("0000000300000000000000C1", "0000000300000000000000C2", "0000000300000000000000C3")));

        // the launcher's fast path moves the prefetched file without starting Java
        for (int i = 1; i < 4; i++) {
            Path destination = folder.resolve("RECOVERYXLOG");
            CellarCli.Run run = launcher("wal", "get", "--config", config.toString(), "--spool", spool.toString(),
                    String.format("0000000300000000000000C%d", i), destination.toString());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(Files.readAllBytes(destination)).isEqualTo(segments.get(i));
        }
        assertThat(list(spool.resolve("fetched"))).doesNotContain("0000000300000000000000C1");
        assertThat(agent.isAlive()).isTrue();
    }

    // ---- helpers

    private static Path newSpool() {
        Path spool = ServerUser.newFolder("cellar-wal-spool");
        spools.add(spool);
        return spool;
    }

    private static LocalCluster startCluster(String archiveCommand) throws IOException {
        LocalCluster cluster = LocalCluster.start(TestFolders.create("cellar-wal-it-pg"), PgBinaries.locate(null),
                Map.of("archive_mode", "on", "archive_command", archiveCommand, "archive_timeout", "0"));
        clusters.add(cluster);
        return cluster;
    }

    private CellarCli.Run push(Path spool, Path file) {
        return cli.run("wal", "push", "--config", config.toString(), "--spool", spool.toString(), "--no-agent", file.toString());
    }

    private CellarCli.Run get(Path spool, String name, Path destination) {
        return cli.run("wal", "get", "--config", config.toString(), "--spool", spool.toString(), "--no-agent", name, destination.toString());
    }

    /** Runs the ./cellar launcher as the server user, as PostgreSQL would. */
    private static CellarCli.Run launcher(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(ServerUser.commandPrefix());
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());
        return new CellarCli.Run(process.waitFor(), out, err);
    }

    private static Path writeAsServerUser(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        ServerUser.giveAway(file);
        return file;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String switchWal(LocalCluster cluster) throws SQLException {
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void setArchiveCommand(LocalCluster cluster, String command) {
        cluster.execute("postgres", "ALTER SYSTEM SET archive_command = '" + command.replace("'", "''") + "'");
        cluster.execute("postgres", "SELECT pg_reload_conf()");
    }

    private static String queryOne(LocalCluster cluster, String sql) {
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private static long failedCount(LocalCluster cluster) {
        return Long.parseLong(queryOne(cluster, "SELECT failed_count FROM pg_stat_archiver"));
    }

    private static void waitUntilArchived(LocalCluster cluster, String segment, Duration limit) {
        try {
            waitFor("pg_stat_archiver reaching " + segment, limit, () -> {
                String last = queryOne(cluster, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
                return last.length() >= 24 && last.substring(0, 24).compareTo(segment) >= 0;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; pg_stat_archiver: "
                    + queryOne(cluster, "SELECT row(archived_count, last_archived_wal, failed_count, last_failed_wal) FROM pg_stat_archiver")
                    + "; server log:\n" + serverLogTail(cluster), e);
        }
    }

    private static String serverLogTail(LocalCluster cluster) {
        try {
            List<String> lines = Files.readAllLines(cluster.dataDir().getParent().resolve("postgres.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    /** Archived segments of timeline 1 up to {@code last}, checking each one is there. */
    private List<WalFileName> segmentsUpTo(String last) {
        List<WalFileName> found = new ArrayList<>();
        for (WalFileName name : archive.list()) {
            if (name.kind() == WalFileName.Kind.SEGMENT && name.timeline() == 1 && name.compareTo(WalFileName.parse(last)) <= 0
                    && name.log() == 0 && name.segment() >= 1) {
                found.add(name);
            }
        }
        return found;
    }

    private static List<String> readyFlags(LocalCluster cluster) {
        List<String> names = new ArrayList<>();
        for (String flag : list(cluster.dataDir().resolve("pg_wal/archive_status"))) {
            if (flag.endsWith(".ready")) {
                names.add(flag.substring(0, flag.length() - ".ready".length()));
            }
        }
        return names;
    }

    private static List<String> list(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean agentRunning(Path spool) {
        return dev.cellar.wal.agent.WalAgent.isRunning(new dev.cellar.wal.agent.WalSpool(spool));
    }

    private static long agentPid(Path spool) {
        return dev.cellar.wal.agent.WalAgent.runningPid(new dev.cellar.wal.agent.WalSpool(spool));
    }

    private static void stopAgent(Path spool) {
        long pid = agentPid(spool);
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
        }
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
