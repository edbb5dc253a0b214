package dev.cellar.recover;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one hook command through {@code /bin/sh -c}, so a hook is written exactly as at a shell
 * prompt (quotes, pipes, {@code &&}), with a time limit. A hook that outlives its limit is killed
 * with everything it started.
 */
public final class HookRunner {
    /** Enough of a hook's output to see why it failed, without a chatty one filling the audit trail. */
    static final int MAX_OUTPUT = 16 * 1024;

    private final Duration timeout;
    private final Clock clock;

    public HookRunner(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    public HookRun run(String command) {
        Instant started = clock.instant();
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return new HookRun(command, -1, "cannot start /bin/sh: " + e.getMessage(), Duration.between(started, clock.instant()), false);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> drain(process.getInputStream(), captured));
        try {
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                killWithEverythingItStarted(process);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(Duration.ofSeconds(5));
            return new HookRun(command, ended ? process.exitValue() : -1, text(captured), Duration.between(started, clock.instant()), !ended);
        } catch (InterruptedException e) {
            killWithEverythingItStarted(process);
            Thread.currentThread().interrupt();
            return new HookRun(command, -1, text(captured) + "\n(interrupted)", Duration.between(started, clock.instant()), false);
        }
    }

    /**
     * The shell first, then what it started (listed before, since they leave its tree when it dies):
     * a shell that outlives its children reports their death ("Killed") as if the hook had said it.
     */
    private static void killWithEverythingItStarted(Process process) {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroyForcibly();
        started.forEach(ProcessHandle::destroyForcibly);
    }

    private static void drain(InputStream in, ByteArrayOutputStream into) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (into) {
                    // keep reading past the limit so the hook never blocks on a full pipe
                    int room = MAX_OUTPUT - into.size();
                    if (room > 0) {
                        into.write(buffer, 0, Math.min(n, room));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process was killed: what was read so far is what there is
        }
    }

    private static String text(ByteArrayOutputStream captured) {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).stripTrailing();
        }
    }
}
