package dev.cellar.wal.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The agent's log, {@code <spool>/agent.log}: one timestamped line per event, rotated to
 * {@code agent.log.1} past {@value #ROTATE_BYTES} bytes so a long-lived agent cannot fill the disk.
 * Logging never fails the work it reports on.
 */
final class AgentLog {
    static final long ROTATE_BYTES = 10L * 1024 * 1024;

    private final Path file;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();

    AgentLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    void info(String message) {
        write("info", message);
    }

    void error(String message) {
        write("error", message);
    }

    private synchronized void write(String level, String message) {
        String line = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS) + " [" + pid + "] " + level + ": " + message + "\n";
        try {
            if (Files.exists(file) && Files.size(file) > ROTATE_BYTES) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.print(line);
        }
    }
}
