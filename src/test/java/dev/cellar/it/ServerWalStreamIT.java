package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.ConfigKey;
import dev.cellar.pg.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code schedule.wal-stream}: two {@code cellar server} processes on one catalog; one streams the
 * cluster's WAL into the repository, the other waits. When the streaming server dies (its process
 * tree killed, as a host crash or systemd's kill would), the other takes the stream over and WAL
 * keeps arriving.
 */
class ServerWalStreamIT {
    private static Path workDir;
    private static LocalCluster cluster;
    private static CellarCli cli;
    private static final List<Process> nodes = new ArrayList<>();

    @BeforeAll
    static void startClusterAndRepository() throws Exception {
        workDir = TestFolders.create("cellar-server-walstream");
        cluster = LocalCluster.start(TestFolders.create("cellar-server-walstream-pg"));
        cluster.createDatabase("catalog");
        Map<String, String> env = new HashMap<>(Map.of(
                "CELLAR_PASSPHRASE", "server-wal-stream-it",
                ConfigKey.REPOSITORY_PATH.env(), workDir.resolve("repo").toString(),
                ConfigKey.DATABASE_HOST.env(), cluster.host(),
                ConfigKey.DATABASE_PORT.env(), Integer.toString(cluster.port()),
                ConfigKey.DATABASE_USER.env(), cluster.superuser(),
                ConfigKey.DATABASE_NAME.env(), "postgres",
                ConfigKey.CATALOG_URL.env(), cluster.jdbcUrl("catalog"),
                ConfigKey.CATALOG_USER.env(), cluster.superuser()));
        env.put(ConfigKey.SCHEDULE_FULL.env(), "off");
        env.put(ConfigKey.SCHEDULE_VERIFY.env(), "off");
        env.put(ConfigKey.SCHEDULE_WAL_STREAM.env(), "true");
        cli = new CellarCli(env);
        CellarCli.Run init = cli.run("init");
        assertThat(init.exitCode()).as(init.toString()).isZero();
    }

    @AfterAll
    static void stopEverything() {
        for (Process node : nodes) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void oneServerStreamsAndAnotherTakesOverWhenItDies() throws Exception {
        Process a = node("a");
        Process b = node("b");
        await("a server streaming", () -> log("a").contains("streaming WAL of") || log("b").contains("streaming WAL of"));
        String streaming = log("a").contains("streaming WAL of") ? "a" : "b";
        String waiting = streaming.equals("a") ? "b" : "a";
        await("the other server waiting for the stream", () -> log(waiting).contains("another server on this catalog streams it"));

        long before = walObjects();
        cluster.execute("postgres", "CREATE TABLE orders AS SELECT g AS id, g * 1.5 AS total FROM generate_series(1, 20000) g");
        cluster.execute("postgres", "SELECT pg_switch_wal()");
        await("WAL shipped by " + streaming, () -> walObjects() > before);

        Process dying = streaming.equals("a") ? a : b;
        List<ProcessHandle> tree = dying.descendants().toList();
        dying.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        assertThat(dying.waitFor(30, TimeUnit.SECONDS)).isTrue();

        await("server " + waiting + " taking the stream over", () -> log(waiting).contains("streaming WAL of"));
        long afterTakeOver = walObjects();
        cluster.execute("postgres", "INSERT INTO orders SELECT g, g * 2.5 FROM generate_series(20001, 40000) g");
        cluster.execute("postgres", "SELECT pg_switch_wal()");
        await("WAL shipped by " + waiting, () -> walObjects() > afterTakeOver);

        Process survivor = waiting.equals("a") ? a : b;
        survivor.destroy();
        assertThat(survivor.waitFor(90, TimeUnit.SECONDS)).as(log(waiting)).isTrue();
        assertThat(log(waiting)).contains("wal stream of " + cluster.host() + ":" + cluster.port() + " ended");
    }

    private static Process node(String name) throws IOException {
        Process process = cli.with(ConfigKey.WAL_SPOOL_PATH.env(), workDir.resolve("spool-" + name).toString())
                .startLogged(workDir.resolve("node-" + name + ".log"), "server", "--node", name, "--no-http", "--observe-every", "5");
        nodes.add(process);
        return process;
    }

    private static long walObjects() {
        Path wal = workDir.resolve("repo").resolve("wal");
        if (!Files.isDirectory(wal)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(wal)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no " + what + " within 60 s\nnode a:\n" + log("a") + "\nnode b:\n" + log("b"));
            }
            Thread.sleep(200);
        }
    }

    private static String log(String node) {
        try {
            return Files.readString(workDir.resolve("node-" + node + ".log"));
        } catch (IOException e) {
            return "";
        }
    }
}
