package dev.cellar.wal;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.List;
import java.util.Locale;

/**
 * Why the receiver ({@code pg_receivewal} or the built-in one) stopped, read from its exit code
 * and last messages: either the server went away (Cellar reconnects with backoff) or it refused
 * in a way retrying cannot fix (Cellar stops with {@link #fatal()}).
 *
 * @param exitCode the receiver's exit code (the built-in one: 0 for an orderly end, 1 for an error)
 * @param reason   its last error line, or a description of a clean exit
 * @param fatal    the error to stop with, or null when reconnecting may help
 */
public record ReceiverExit(int exitCode, String reason, CellarException fatal) {

    public boolean retryable() {
        return fatal == null;
    }

    static ReceiverExit classify(int exitCode, List<String> lines) {
        String reason = lastError(lines);
        if (exitCode == 0) {
            return new ReceiverExit(0, reason.isEmpty() ? "the receiver exited" : reason, null);
        }
        String all = String.join("\n", lines).toLowerCase(Locale.ROOT);
        return new ReceiverExit(exitCode, reason, fatalError(all, reason));
    }

    /** The refusals that reconnecting cannot cure; everything else counts as the server going away. */
    private static CellarException fatalError(String text, String reason) {
        if (text.contains("is active for pid")) {
            return new CellarException(ErrorCode.LOCKED, "the replication slot is in use by another process: " + reason,
                    "another 'cellar wal stream' or pg_receivewal streams from this slot; stop it, or give this one its own slot with --slot");
        }
        if (text.contains("replication slot") && text.contains("does not exist")) {
            return new CellarException(ErrorCode.NOT_FOUND, "the replication slot disappeared while streaming: " + reason,
                    "someone dropped it; WAL the server removed since is missing from the archive (archive_command covers it, if set). "
                            + "Recreate it with --create-slot and take a new backup");
        }
        if (text.contains("has already been removed")) {
            return new CellarException(ErrorCode.INTEGRITY, "the server no longer has the WAL streaming must resume from: " + reason,
                    "the slot lost its reserved WAL (max_slot_wal_keep_size?) or the spool is older than the slot; the archive has a gap "
                            + "unless archive_command filled it. Move the spool folder aside, recreate the slot and take a new backup");
        }
        if (text.contains("no pg_hba.conf entry for replication")) {
            return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "the server refuses replication connections: " + reason,
                    "add a pg_hba.conf line with 'replication' in the database column for this user and host, then reload the server");
        }
        if (text.contains("must be superuser or replication role") || text.contains("permission denied to start wal sender")
                || text.contains("replication role")) {
            return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "the database user may not stream WAL: " + reason,
                    "ALTER ROLE <database.user> REPLICATION, or use a role that has it");
        }
        if (text.contains("password authentication failed") || text.contains("no password supplied")) {
            return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "the receiver cannot log in: " + reason,
                    "check database.user and the password (database.password-file, PGPASSWORD, ~/.pgpass)");
        }
        if (text.contains("incompatible server version") || text.contains("is unexpectedly database specific")) {
            return new CellarException(ErrorCode.BINARY_MISSING, "pg_receivewal cannot stream from this server: " + reason,
                    "install pg_receivewal of the server's major version and point postgres.bin-dir at it");
        }
        if (text.contains("system identifier does not match")) {
            return new CellarException(ErrorCode.WAL_CONFLICT, "the spool holds WAL of another cluster: " + reason,
                    "the server at database.host/port was replaced; check the configuration");
        }
        return null;
    }

    /** The last line that reads like an error, else the last line. */
    private static String lastError(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.contains("error:") || line.contains("FATAL") || line.contains("fatal")) {
                return line.strip();
            }
        }
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }
}
