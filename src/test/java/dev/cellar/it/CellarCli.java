package dev.cellar.it;

import dev.cellar.config.HostClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code cellar.jar} as a separate process, the way an operator or cron runs
 * it, so exit codes, stderr messages and kill -9 behave as they do in production.
 */
public final class CellarCli {
    private final Map<String, String> environment = new HashMap<>();
    private final boolean asServerUser;

    public CellarCli(Map<String, String> environment) {
        this(environment, false);
    }

    private CellarCli(Map<String, String> environment, boolean asServerUser) {
        this.environment.putAll(environment);
        environment.forEach(CellarCli::rememberIfSecret);
        this.environment.put("CELLAR_NO_PROGRESS", "1");
        this.asServerUser = asServerUser;
    }

    /**
     * The same CLI run as the operating-system user the test clusters run as (postgres when the
     * tests run as root), which is how a repository shared with archive_command must be used.
     */
    public CellarCli asServerUser() {
        return new CellarCli(environment, true);
    }

    /** The command line that runs Cellar (as the server user if asked), for archive_command and friends. */
    public String commandLine() {
        return String.join(" ", baseCommand());
    }

    public CellarCli with(String variable, String value) {
        CellarCli copy = new CellarCli(environment, asServerUser);
        if (value == null) {
            copy.environment.remove(variable);
        } else {
            copy.environment.put(variable, value);
            rememberIfSecret(variable, value);
        }
        return copy;
    }

    /**
     * The same CLI on a test clock (HostClock) that shows {@code start} at real time {@code anchorMillis}
     * and runs {@code scale} times faster: how the daemon tests play days of schedules in seconds.
     * Processes given the same anchor share one scaled time.
     */
    public CellarCli withScaledClock(double scale, Instant start, long anchorMillis) {
        return with("JAVA_TOOL_OPTIONS", "-D" + HostClock.SCALE_PROPERTY + "=" + scale
                + " -D" + HostClock.START_PROPERTY + "=" + start
                + " -D" + HostClock.ANCHOR_PROPERTY + "=" + anchorMillis);
    }

    /** Secrets handed to Cellar in its environment (the right place) must appear nowhere else: SecretsWatch looks. */
    private static void rememberIfSecret(String variable, String value) {
        // a *_FILE or *_ENV variable names where a secret is, not the secret
        if (variable.matches(".*(PASSPHRASE|PASSWORD|SECRET|TOKEN|_PIN).*") && !variable.matches(".*_(FILE|ENV)$") && value != null) {
            dev.cellar.secrets.KnownSecrets.register(value);
        }
    }

    /** The result of one run. */
    public record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    public Run run(String... args) {
        try {
            Process process = start(args);
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("cellar " + String.join(" ", args) + " did not finish in 10 minutes");
            }
            Run run = new Run(process.exitValue(), out, Files.readString(stderrFile(process)));
            dev.cellar.secrets.SecretsWatch.checkOutput("cellar " + String.join(" ", args), out + "\n" + run.stderr());
            return run;
        } catch (IOException e) {
            throw new AssertionError("cannot run cellar", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts cellar without waiting, its stdout (a server's log) and stderr appended to {@code output}. */
    public Process startLogged(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(asServerUser ? ServerUser.commandPrefix() : List.of());
        command.addAll(baseCommand());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("CELLAR_") || k.startsWith("PG"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Starts cellar without waiting; stdout is discarded, stderr goes to a temp file. */
    public Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(asServerUser ? ServerUser.commandPrefix() : List.of());
        command.addAll(baseCommand());
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("cellar-stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CELLAR_") || k.startsWith("PG"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        STDERR_FILES.put(process.pid(), stderr);
        return process;
    }

    private static final Map<Long, Path> STDERR_FILES = new java.util.concurrent.ConcurrentHashMap<>();

    /** What a process started with {@link #start} wrote to stderr so far (for diagnostics). */
    public static String stderrSoFar(Process process) {
        Path file = STDERR_FILES.get(process.pid());
        try {
            return file == null ? "" : Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static Path stderrFile(Process process) {
        return STDERR_FILES.remove(process.pid());
    }

    private static List<String> baseCommand() {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(CellarClassArchive.jvmOptions(jar(), javaBinary()));
        command.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
        return command;
    }

    static Path jar() {
        String configured = System.getProperty("cellar.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("target", "cellar.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("cellar.jar not found at " + jar + "; integration tests run after 'mvn package'");
        }
        return jar;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
