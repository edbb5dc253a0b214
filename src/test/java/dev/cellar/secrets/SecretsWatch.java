package dev.cellar.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Watches a whole test run for secrets where nobody may read them: every quarter of a second
 * it reads {@code /proc/<pid>/cmdline} of every Cellar process this test JVM started and of what
 * Cellar starts (pg_dump, pg_restore, pg_basebackup, psql, a WAL agent, ...), which any user of the
 * machine can read with {@code ps}; and it is told every command's output ({@link #checkOutput}).
 * The tests' own servers (S3Proxy, Ceph, PostgreSQL clusters they start) are not Cellar's and
 * not watched: radosgw-admin takes its test key on its command line by design.
 * A finding is written to {@code target/secrets-scan/findings.txt} at once; {@code run-tests}
 * fails the run when that file exists. Registered for every test JVM through
 * {@code META-INF/services}.
 */
public final class SecretsWatch implements TestExecutionListener {
    private static final Path FOLDER = Path.of("target", "secrets-scan");
    private static final String CELLAR_JAR = "cellar.jar";
    private static final Set<String> CLIENT_PROGRAMS = Set.of("pg_dump", "pg_dumpall", "pg_restore", "pg_basebackup", "pg_receivewal",
            "psql", "pg_verifybackup", "pg_combinebackup");
    private static final long SWEEP_MILLIS = 250;
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();
    private static final AtomicLong SWEEPS = new AtomicLong();
    private static final Set<Long> SEEN = ConcurrentHashMap.newKeySet();
    private static volatile Thread sampler;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        synchronized (SecretsWatch.class) {
            if (sampler == null) {
                sampler = Thread.ofPlatform().daemon().name("secrets-watch").start(SecretsWatch::sampleUntilInterrupted);
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        sweep();
        try {
            Files.createDirectories(FOLDER);
            Files.writeString(FOLDER.resolve("summary-" + ProcessHandle.current().pid() + ".txt"),
                    "command lines of " + SEEN.size() + " child processes read in " + SWEEPS.get() + " sweeps; "
                            + KnownSecrets.count() + " known secrets; " + REPORTED.size() + " findings\n");
        } catch (IOException e) {
            System.err.println("secrets watch: cannot write its summary: " + e);
        }
    }

    /** Looks for a known secret in what a command printed; {@code what} names the command. */
    public static void checkOutput(String what, String output) {
        KnownSecrets.foundIn(output).ifPresent(secret -> report("output of " + what + " holds the secret " + KnownSecrets.masked(secret),
                secret));
    }

    /** The findings so far, for a test that checks its own part of the run. */
    public static List<String> findings() {
        return new ArrayList<>(REPORTED);
    }

    /** Reads every child's command line now. */
    public static void sweep() {
        SWEEPS.incrementAndGet();
        ProcessHandle.current().descendants().filter(SecretsWatch::startedByCellar).forEach(process -> {
            SEEN.add(process.pid());
            String commandLine = commandLine(process.pid());
            KnownSecrets.foundIn(commandLine).ifPresent(secret -> report("command line of pid " + process.pid() + " ("
                    + commandLine.replace(secret, "<secret>").lines().findFirst().orElse("") + ") holds the secret "
                    + KnownSecrets.masked(secret), secret));
        });
    }

    /**
     * A Cellar process (its command line, or an ancestor's below this JVM, runs the jar) or a
     * PostgreSQL client program that Cellar code in this JVM started (a test calling a service
     * in-process).
     */
    private static boolean startedByCellar(ProcessHandle process) {
        long self = ProcessHandle.current().pid();
        ProcessHandle at = process;
        while (at != null && at.pid() != self) {
            if (commandLine(at.pid()).contains(CELLAR_JAR)) {
                return true;
            }
            at = at.parent().orElse(null);
        }
        String program = commandLine(process.pid()).split(" ", 2)[0];
        return process.parent().map(ProcessHandle::pid).orElse(-1L) == self
                && CLIENT_PROGRAMS.contains(program.substring(program.lastIndexOf('/') + 1));
    }

    private static void sampleUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                sweep();
                Thread.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException raced) {
                // a process that ended while it was read
            }
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    private static void report(String finding, String secret) {
        if (!REPORTED.add(finding) || KnownSecrets.isCanary(secret)) {
            return;
        }
        System.err.println("SECRETS WATCH: " + finding);
        try {
            Files.createDirectories(FOLDER);
            Files.writeString(FOLDER.resolve("findings.txt"), Instant.now() + " " + finding + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("secrets watch: cannot write a finding: " + e);
        }
    }
}
