package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs PostgreSQL programs to completion and captures what they print, optionally as another OS
 * user (the server programs refuse to run as root).
 *
 * <p>Secrets never go on the command line, where any user can read them in the process list:
 * pass a password as {@code PGPASSWORD} in the environment map instead.
 *
 * <p>Standard output is kept whole in memory, so it suits short outputs (versions, schema dumps);
 * programs that write a lot must write to a file (e.g. {@code pg_dump -f}). Standard error keeps
 * only its last {@value #STDERR_TAIL_BYTES} bytes.
 */
public final class ProcessRunner {

    static final int STDERR_TAIL_BYTES = 64 * 1024;
    private static final int STDERR_LINES_IN_ERRORS = 20;
    private static final String SERVER_USER = "postgres";

    private ProcessRunner() {
    }

    /**
     * Runs {@code command} with {@code environment} added to this process's environment.
     *
     * @param asOsUser the OS user to run as through {@code runuser}, or null for the current user;
     *                 the program then starts in the filesystem root, since the user may not be
     *                 allowed into the current folder
     */
    public static ProcessResult run(List<String> command, Map<String, String> environment, String asOsUser) {
        ProcessBuilder builder = new ProcessBuilder(asUser(command, asOsUser));
        builder.environment().putAll(environment);
        if (asOsUser != null) {
            builder.directory(FileSystems.getDefault().getRootDirectories().iterator().next().toFile());
        }
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CellarException(ErrorCode.BINARY_MISSING,
                    "cannot start " + programName(command) + ": " + e.getMessage(),
                    "check that the program exists and is executable", e);
        }
        try {
            process.getOutputStream().close();
            FutureTask<byte[]> stderr = new FutureTask<>(() -> readTail(process.getErrorStream()));
            Thread.ofVirtual().start(stderr);
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exitCode = process.waitFor();
            String stderrTail = new String(stderr.get(), StandardCharsets.UTF_8);
            return new ProcessResult(exitCode, stdout, stderrTail, Duration.ofNanos(System.nanoTime() - started));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED,
                    "interrupted while waiting for " + programName(command), null, e);
        } catch (IOException | ExecutionException e) {
            process.destroyForcibly();
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED,
                    "cannot read the output of " + programName(command) + ": " + e.getMessage(),
                    "check that the program is not killed or blocked and retry", e);
        }
    }

    /** Like {@link #run}, but a non-zero exit code is an {@link ErrorCode#EXTERNAL_TOOL_FAILED}. */
    public static ProcessResult requireSuccess(List<String> command, Map<String, String> environment,
                                               String asOsUser) {
        ProcessResult result = run(command, environment, asOsUser);
        if (!result.succeeded()) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED,
                    programName(command) + " failed with exit code " + result.exitCode()
                            + lastLines(result.stderrTail()),
                    "fix the cause " + programName(command) + " reports and retry");
        }
        return result;
    }

    /** True when this JVM runs as the superuser, which PostgreSQL's server programs refuse. */
    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The OS user to run server programs (initdb, pg_ctl) as: "postgres" when root, else null. */
    public static String unprivilegedUserForServer() {
        return runningAsRoot() ? SERVER_USER : null;
    }

    static String programName(List<String> command) {
        return Path.of(command.get(0)).getFileName().toString();
    }

    /** The last lines of a program's messages, ready to append to an error message. */
    static String lastLines(String text) {
        List<String> lines = text.strip().lines().toList();
        if (lines.isEmpty()) {
            return "";
        }
        return ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - STDERR_LINES_IN_ERRORS), lines.size()));
    }

    private static List<String> asUser(List<String> command, String osUser) {
        if (osUser == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", osUser, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Reads a stream to its end, keeping only its last {@link #STDERR_TAIL_BYTES} bytes. */
    static byte[] readTail(InputStream in) throws IOException {
        byte[] ring = new byte[STDERR_TAIL_BYTES];
        byte[] chunk = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) >= 0) {
            for (int i = 0; i < n; i++) {
                ring[(int) ((total + i) % ring.length)] = chunk[i];
            }
            total += n;
        }
        if (total <= ring.length) {
            return Arrays.copyOf(ring, (int) total);
        }
        int start = (int) (total % ring.length);
        byte[] tail = new byte[ring.length];
        System.arraycopy(ring, start, tail, 0, ring.length - start);
        System.arraycopy(ring, 0, tail, ring.length - start, start);
        return tail;
    }
}
