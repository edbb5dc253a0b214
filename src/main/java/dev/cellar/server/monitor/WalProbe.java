package dev.cellar.server.monitor;

import dev.cellar.config.DatabaseConfig;
import dev.cellar.config.SecretPrompter;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Asks one PostgreSQL server how its WAL archiving and Cellar's stream slot fare: the only SQL on
 * {@code pg_stat_archiver} and {@code pg_replication_slots} in Cellar. Read-only, a few
 * milliseconds; the password comes from its configured source, never from a prompt (the daemon
 * has no terminal).
 */
final class WalProbe {
    private static final String ARCHIVER = """
            SELECT current_setting('archive_mode') IN ('on', 'always'), archived_count, last_archived_wal, last_archived_time,
                   failed_count, last_failed_wal, last_failed_time
              FROM pg_stat_archiver""";
    // pg_ls_archive_statusdir needs superuser or pg_monitor; without it, whether WAL waits is unknown
    private static final String READY = "SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'";
    // a physical slot has only restart_lsn; a logical one confirms with confirmed_flush_lsn
    private static final String SLOT_LAG = """
            SELECT pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END,
                                   coalesce(confirmed_flush_lsn, restart_lsn))::bigint
              FROM pg_replication_slots WHERE slot_name = ?""";
    private static final SecretPrompter NO_PROMPT = secret -> {
        throw new CellarException(ErrorCode.CONFIG_INVALID, secret.key() + " would have to be typed, but cellar server has no terminal",
                "give the password in a file (database.password-file) or an environment variable, or use ~/.pgpass");
    };

    private final String streamSlot;
    private final Map<String, String> env;

    WalProbe(String streamSlot, Map<String, String> env) {
        this.streamSlot = streamSlot;
        this.env = env;
    }

    /**
     * @param server {@code host:port}, the name the facts carry
     * @throws CellarException {@code DATABASE_UNREACHABLE} when the server cannot be reached or read
     */
    WalFacts probe(String server, DatabaseConfig database) {
        char[] password = database.password() == null ? null : database.password().resolve(NO_PROMPT, env);
        PgConnectionSpec spec = new PgConnectionSpec(database.host(), database.port(), database.user(), database.name(), password, database.tls());
        try (Connection c = spec.connect()) {
            return read(server, c);
        } catch (SQLException e) {
            throw spec.unreachable(e);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private WalFacts read(String server, Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(ARCHIVER)) {
            r.next();
            return new WalFacts(server, r.getBoolean(1), r.getLong(2), r.getString(3), instant(r, 4), r.getLong(5), r.getString(6),
                    instant(r, 7), readySegments(c), slotLag(c));
        }
    }

    private static Long readySegments(Connection c) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(READY)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return null; // not allowed to look (or PostgreSQL before 12): unknown, not "none"
        }
    }

    private Long slotLag(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SLOT_LAG)) {
            s.setString(1, streamSlot);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                long lag = r.getLong(1);
                return r.wasNull() ? null : Math.max(0, lag);
            }
        }
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
