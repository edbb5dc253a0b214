package dev.cellar.app;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.HostClock;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.s3.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A daemon opens a context for every job: after many jobs on a repository with a local and an S3
 * copy, no thread of theirs may be left (S3 clients, their connection pools, the mirror's writers).
 */
class CellarContextReleasesThreadsIT {
    private static final int JOBS = 12;
    private static final String PASSPHRASE_VARIABLE = "CELLAR_TEST_LEAK_PASSPHRASE";

    private static S3ProxyServer server;
    private static CellarConfig config;
    private static Map<String, String> env;

    @TempDir
    static Path folder;

    @BeforeAll
    static void repositoryOnTwoCopies() throws IOException {
        server = S3ProxyServer.start();
        String bucket = server.createBucket();
        env = new HashMap<>(server.env());
        env.put(PASSPHRASE_VARIABLE, "leak test passphrase");
        Path yaml = folder.resolve("cellar.yaml");
        Files.writeString(yaml, "repository:\n  passphrase-env: " + PASSPHRASE_VARIABLE + "\n"
                + "repositories:\n"
                + "  local:\n    path: " + folder.resolve("repo") + "\n"
                + "  cloud:\n    path: s3://" + bucket + "/leak/\n    endpoint: " + server.endpoint() + "\n"
                + "    checksum-mode: when-required\n"
                + "    access-key-id-env: " + S3ProxyServer.ACCESS_KEY_ENV + "\n    secret-access-key-env: " + S3ProxyServer.SECRET_KEY_ENV + "\n",
                StandardCharsets.UTF_8);
        config = ConfigLoader.load(yaml, env, Map.of());
        try (CellarContext context = CellarContext.open(config, options(new CopyOnWriteArrayList<>()))) {
            Repository.init(context.storage(), RepositorySecret.passphrase("leak test passphrase".toCharArray()), ChunkerParameters.DEFAULT,
                    context.hostClock());
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void closingEachJobsContextLeavesNoThreadBehind() throws InterruptedException {
        List<String> warnings = new CopyOnWriteArrayList<>();
        runJob(warnings); // the first job starts what lives once per JVM (the SDK's shared reaper, JIT warm-up)
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        for (int job = 0; job < JOBS; job++) {
            runJob(warnings);
        }

        // a thread that was shut down takes a moment to end: give them all one deadline together
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Thread> left = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread)) {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (thread.isAlive()) {
                    left.add(thread);
                }
            }
        }
        assertThat(left).as("threads left by %d closed contexts", JOBS).extracting(Thread::getName).isEmpty();
        assertThat(warnings).as("both copies answered every job").isEmpty();
    }

    /** What a job does with its context: open the repository on both copies, write to both, read back. */
    private static void runJob(List<String> warnings) {
        try (CellarContext context = CellarContext.open(config, options(warnings))) {
            Repository repository = context.openRepository();
            repository.audit().append("leak-test", "both copies", "ok", "", 0, Duration.ZERO);
            assertThat(context.allCopies().members()).hasSize(2);
            assertThat(repository.audit().read(0).intact()).isTrue();
        }
    }

    private static ContextOptions options(List<String> warnings) {
        return new ContextOptions(false, null, Duration.ZERO, false, warnings::add, new NeverPrompt(), env, HostClock.system());
    }
}
