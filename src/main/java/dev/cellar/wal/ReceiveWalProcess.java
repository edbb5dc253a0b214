package dev.cellar.wal;

import dev.cellar.config.ConfigKey;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of PostgreSQL's {@code pg_receivewal} into the stream spool. It runs with
 * {@code --no-loop} (Cellar, not pg_receivewal, decides when and how fast to reconnect, and
 * says why it stopped) and {@code --synchronous} (every write is flushed to disk and confirmed
 * to the server at once, so the slot's position is what is safe on this host).
 */
public final class ReceiveWalProcess implements AutoCloseable {
    private static final int KEPT_LINES = 20;

    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread drain;

    private ReceiveWalProcess(Process process, Consumer<String> messages) {
        this.process = process;
        this.drain = Thread.ofVirtual().start(() -> drain(messages));
    }

    /** The command line (without the password, which travels in PGPASSWORD). */
    static List<String> command(Path program, PgConnectionSpec database, String slot, Path folder) {
        List<String> command = new ArrayList<>(List.of(program.toString(),
                "--directory=" + folder, "--slot=" + slot, "--synchronous", "--no-loop", "--verbose"));
        command.addAll(List.of("--host=" + database.host(), "--port=" + database.port(), "--username=" + database.user(), "--no-password"));
        return command;
    }

    /**
     * Starts pg_receivewal; its messages (stderr) go to {@code messages} line by line.
     * {@code application_name} is the slot's name, so {@code synchronous_standby_names} can name it.
     */
    public static ReceiveWalProcess start(Path program, PgConnectionSpec database, String slot, Path folder, Consumer<String> messages) {
        ProcessBuilder builder = new ProcessBuilder(command(program, database, slot, folder))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.putAll(database.libpqEnvironment());
        env.put("PGAPPNAME", slot);
        // messages are matched to tell a lost server from a fatal refusal: keep them in English
        env.put("LC_MESSAGES", "C");
        env.put("LANGUAGE", "C");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return new ReceiveWalProcess(process, messages);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.BINARY_MISSING, "cannot start " + program + ": " + e.getMessage(),
                    "check " + ConfigKey.POSTGRES_BIN_DIR.withEnv() + " and that the file is executable");
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Asks pg_receivewal to stop as Ctrl-C does (SIGINT): it closes the partial segment after
     * the last write, keeping its {@code .partial} name, and exits 0.
     */
    public void requestStop() {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }

    /** Waits up to {@code timeout} for the exit; returns null if it still runs. */
    public ReceiverExit awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        drain.join(Duration.ofSeconds(5));
        List<String> lines;
        synchronized (lastLines) {
            lines = List.copyOf(lastLines);
        }
        return ReceiverExit.classify(process.exitValue(), lines);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            requestStop();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private void drain(Consumer<String> messages) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                messages.accept(line);
            }
        } catch (IOException ignored) {
            // the process went away; what was read is kept
        }
    }
}
