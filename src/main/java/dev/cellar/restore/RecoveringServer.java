package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.ProcessResult;
import dev.cellar.pg.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts PostgreSQL on a restored data directory and waits until recovery has reached its
 * target and the server did what {@code recovery_target_action} says, then reports where it
 * stopped. The server log goes to {@code cellar-recovery.log} in the data directory, which is
 * where an operator should look first when recovery fails.
 */
final class RecoveringServer {
    static final String LOG_FILE = "cellar-recovery.log";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STARTUP_GRACE = Duration.ofSeconds(60);
    private static final Pattern NEW_TIMELINE = Pattern.compile("selected new timeline ID: (\\d+)");
    private static final Pattern STOPPING = Pattern.compile("(recovery stopping [^\\n]*)");
    private static final Pattern CONSISTENT_TOO_LATE = Pattern.compile("requested recovery stop point is before consistent recovery point");
    private static final Pattern ENDED_EARLY = Pattern.compile("recovery ended before configured recovery target was reached");

    private final PgBinaries bins;
    private final Path dataDir;
    private final PgConnectionSpec connection;
    private final String osUser;
    private final Clock clock;

    RecoveringServer(PgBinaries bins, Path dataDir, PgConnectionSpec connection, String osUser, Clock clock) {
        this.bins = bins;
        this.dataDir = dataDir;
        this.connection = connection;
        this.osUser = osUser;
        this.clock = clock;
    }

    /** Where recovery stopped, as the server reports it. */
    record Outcome(String state, String replayedLsn, Instant lastReplayedCommit, Integer timeline, String stopMessage,
                   Duration recovery) {
    }

    void start() {
        ProcessResult result = ProcessRunner.run(List.of(bins.path("pg_ctl").toString(), "-D", dataDir.toString(),
                "-l", dataDir.resolve(LOG_FILE).toString(), "-W", "start"), Map.of(), osUser);
        if (!result.succeeded()) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "pg_ctl could not start the restored server in " + dataDir
                    + ": " + result.stderrTail().strip(), "read " + dataDir.resolve(LOG_FILE));
        }
    }

    /**
     * Stops the server mid-recovery (fast shutdown) for an interrupted restore; recovery resumes
     * where it stopped with {@code pg_ctl start}. Never fails: the process is going down.
     */
    void stopQuietly() {
        try {
            ProcessRunner.run(List.of(bins.path("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30", "stop"),
                    Map.of(), osUser);
        } catch (RuntimeException e) {
            // nothing more can be done from a shutdown hook
        }
    }

    /** Waits for promotion, pause or shutdown (as {@code action} says), up to {@code timeout}. */
    Outcome awaitTarget(String action, Duration timeout) {
        Instant started = clock.instant();
        Instant deadline = started.plus(timeout);
        boolean seenRunning = false;
        while (clock.instant().isBefore(deadline)) {
            boolean running = isRunning();
            seenRunning |= running;
            // pg_ctl -W returns before the postmaster wrote its pid file: not running yet is not stopped
            if (!running && !seenRunning && !log().contains("database system is shut down")
                    && clock.instant().isBefore(started.plus(STARTUP_GRACE))) {
                sleep();
                continue;
            }
            if (!running) {
                String log = log();
                if ("shutdown".equals(action) && log.contains("database system is shut down")) {
                    return new Outcome("shut down at the target", null, null, null, match(STOPPING, log), Duration.between(started, clock.instant()));
                }
                throw failure(log);
            }
            Outcome outcome = poll(action, started);
            if (outcome != null) {
                return outcome;
            }
            sleep();
        }
        throw new CellarException(ErrorCode.INTERRUPTED, "recovery did not reach its target within " + timeout.toSeconds() + " s; the server is still running in "
                + dataDir, "watch " + dataDir.resolve(LOG_FILE) + "; raise --timeout for large WAL ranges");
    }

    private Outcome poll(String action, Instant started) {
        try (Connection c = connection.connect(); Statement s = c.createStatement()) {
            boolean inRecovery;
            try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                inRecovery = rs.getBoolean(1);
            }
            boolean done = switch (action) {
                case "promote" -> !inRecovery;
                case "pause" -> inRecovery && paused(s);
                default -> false;
            };
            if (!done) {
                return null;
            }
            try (ResultSet rs = s.executeQuery("SELECT pg_last_wal_replay_lsn()::text, pg_last_xact_replay_timestamp(), "
                    + "(SELECT timeline_id FROM pg_control_checkpoint())")) {
                rs.next();
                OffsetDateTime commit = rs.getObject(2, OffsetDateTime.class);
                String log = log();
                String newTimeline = match(NEW_TIMELINE, log);
                Integer timeline = newTimeline != null ? Integer.valueOf(newTimeline) : rs.getInt(3);
                return new Outcome(inRecovery ? "paused at the target" : "promoted", rs.getString(1),
                        commit == null ? null : commit.toInstant(), timeline, match(STOPPING, log), Duration.between(started, clock.instant()));
            }
        } catch (CellarException | SQLException notYet) {
            // still starting up or replaying without hot standby: keep waiting
            return null;
        }
    }

    private static boolean paused(Statement s) throws SQLException {
        // pg_get_wal_replay_pause_state() came with PostgreSQL 14; before it, pg_is_wal_replay_paused()
        // is the only question, and a server that stops at a recovery target with action pause is paused
        boolean before14;
        try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int < 140000")) {
            rs.next();
            before14 = rs.getBoolean(1);
        }
        try (ResultSet rs = s.executeQuery(before14 ? "SELECT pg_is_wal_replay_paused()"
                : "SELECT pg_get_wal_replay_pause_state() = 'paused'")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private boolean isRunning() {
        return ProcessRunner.run(List.of(bins.path("pg_ctl").toString(), "-D", dataDir.toString(), "status"), Map.of(), osUser).succeeded();
    }

    private CellarException failure(String log) {
        String tail = lastLines(log, 12);
        if (ENDED_EARLY.matcher(log).find()) {
            return new TargetNotReachedException("PostgreSQL replayed all archived WAL without reaching the recovery target:\n" + tail,
                    "choose an earlier target, or --target-latest; for a transaction id or restore point older than the backup, "
                            + "name an older backup with --backup; 'cellar list --wal' shows what the archive holds");
        }
        if (CONSISTENT_TOO_LATE.matcher(log).find()) {
            return new TargetNotReachedException("the recovery target lies before the end of the backup used:\n" + tail,
                    "choose an older backup with --backup, or a later target");
        }
        return new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "the restored server stopped during recovery:\n" + tail,
                "read " + dataDir.resolve(LOG_FILE) + "; the restored files are still in " + dataDir);
    }

    /**
     * Recovery stopped without reaching its target: the target lies before the point where the
     * backup became consistent, or recovery never met it in the WAL after the backup.
     */
    static final class TargetNotReachedException extends CellarException {
        TargetNotReachedException(String message, String hint) {
            super(ErrorCode.TARGET_UNREACHABLE, message, hint);
        }
    }

    private String log() {
        try {
            return Files.readString(dataDir.resolve(LOG_FILE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while waiting for recovery");
        }
    }
}
