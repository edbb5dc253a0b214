package dev.cellar.pg;

import dev.cellar.config.ConfigKey;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL program Cellar runs while it works (pg_dump streaming into the repository,
 * pg_restore reading a restored archive). Its stderr is drained on a thread and the last lines
 * kept, so a failure can say what the program said.
 */
public final class RunningProgram implements AutoCloseable {
    private static final int KEPT_STDERR_LINES = 40;

    private final String name;
    private final Process process;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread stderrDrain;

    private RunningProgram(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stderrDrain = Thread.ofVirtual().start(this::drainStderr);
    }

    /** Starts {@code program args...}; {@code environment} adds to (and overrides) the inherited one. */
    public static RunningProgram start(Path program, List<String> args, Map<String, String> environment, ProcessBuilder.Redirect stdin,
                                       ProcessBuilder.Redirect stdout) {
        List<String> command = new java.util.ArrayList<>();
        command.add(program.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(stdin).redirectOutput(stdout);
        builder.environment().putAll(environment);
        try {
            return new RunningProgram(program.getFileName().toString(), builder.start());
        } catch (IOException e) {
            throw new CellarException(ErrorCode.BINARY_MISSING, "cannot start " + program + ": " + e.getMessage(),
                    "check " + ConfigKey.POSTGRES_BIN_DIR.withEnv() + " and that the file is executable");
        }
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    /** Waits for the exit; a non-zero exit becomes an error carrying the program's last words. */
    public void awaitSuccess(String doing) {
        int exit = awaitExit();
        if (exit != 0) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED,
                    name + " failed while " + doing + " (exit code " + exit + "): " + stderrSummary(),
                    "the lines above are " + name + "'s own message; nothing was committed to the repository");
        }
    }

    public int awaitExit() {
        try {
            int exit = process.waitFor();
            stderrDrain.join(TimeUnit.SECONDS.toMillis(10));
            return exit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while waiting for " + name);
        }
    }

    /** The last lines the program wrote to stderr, joined. */
    public String stderrSummary() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "(no message)" : String.join(" | ", stderrTail);
        }
    }

    private void drainStderr() {
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stderrTail) {
                    if (stderrTail.size() == KEPT_STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                }
            }
        } catch (IOException ignored) {
            // the process went away; whatever was read is kept
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
