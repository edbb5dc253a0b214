package dev.cellar.backup;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The server side of a physical backup: one session that runs the non-exclusive backup API
 * ({@code pg_backup_start} / {@code pg_backup_stop}, called {@code pg_start_backup} /
 * {@code pg_stop_backup} before PostgreSQL 15). The backup belongs to this session: if Cellar
 * dies, the server ends it when the connection drops.
 */
public final class BackupSession implements AutoCloseable {
    static final int PG15 = 150000;

    private final PgConnectionSpec spec;
    private final Connection connection;
    private int serverVersionNum;
    private boolean running;

    private BackupSession(PgConnectionSpec spec, Connection connection) {
        this.spec = spec;
        this.connection = connection;
    }

    public static BackupSession open(PgConnectionSpec spec) {
        return new BackupSession(spec, spec.connect());
    }

    /** Where pg_backup_stop left the backup. */
    public record Stopped(String stopLsn, String stopWal, String backupLabel, String tablespaceMap) {
    }

    public ServerFacts facts() {
        try (Statement s = connection.createStatement()) {
            String version;
            String walLevel;
            String dataDirectory;
            boolean checksums;
            try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('server_version'),"
                    + " current_setting('wal_level'), current_setting('data_checksums'), pg_is_in_recovery()")) {
                rs.next();
                serverVersionNum = rs.getInt(1);
                version = rs.getString(2);
                walLevel = rs.getString(3);
                checksums = "on".equals(rs.getString(4));
                if (rs.getBoolean(5)) {
                    throw new CellarException(ErrorCode.CONFIG_INVALID, "the server at " + spec.describe() + " is a standby",
                            "take physical backups on the primary");
                }
            }
            if (serverVersionNum < 130000) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "PostgreSQL " + version + " is too old for physical backups",
                        "Cellar supports PostgreSQL 13 and later");
            }
            if ("minimal".equals(walLevel)) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "wal_level is minimal on " + spec.describe()
                        + ": the WAL lacks what an online backup needs",
                        "set wal_level = replica (or logical) in postgresql.conf and restart PostgreSQL");
            }
            dataDirectory = query(s, "SELECT current_setting('data_directory')");
            long systemId = Long.parseLong(query(s, "SELECT system_identifier FROM pg_control_system()"));
            int pageSize;
            int relsegSize;
            int walSegmentSize;
            try (ResultSet rs = s.executeQuery("SELECT database_block_size, blocks_per_segment, bytes_per_wal_segment FROM pg_control_init()")) {
                rs.next();
                pageSize = rs.getInt(1);
                relsegSize = rs.getInt(2);
                walSegmentSize = rs.getInt(3);
            }
            Map<Long, String> tablespaces = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT oid, spcname FROM pg_tablespace WHERE spcname NOT IN ('pg_default', 'pg_global')")) {
                while (rs.next()) {
                    tablespaces.put(rs.getLong(1), rs.getString(2));
                }
            }
            return new ServerFacts(serverVersionNum, version, walLevel, systemId, Path.of(dataDirectory), checksums, pageSize, relsegSize,
                    walSegmentSize, tablespaces);
        } catch (SQLException e) {
            throw failed("reading the server's settings", e);
        }
    }

    /** Starts the backup with an immediate checkpoint; returns the start LSN. */
    public String start(String label) {
        String sql = serverVersionNum >= PG15 ? "SELECT pg_backup_start(?, fast => true)::text" : "SELECT pg_start_backup(?, true, false)::text";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, label);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                running = true;
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw failed("starting the backup (pg_backup_start)", e);
        }
    }

    /**
     * Ends the backup without waiting for the archiver (Cellar archives the backup's WAL itself).
     * The server switches to a new WAL segment, so the one holding the stop LSN is complete.
     */
    public Stopped stop() {
        String sql = serverVersionNum >= PG15
                ? "SELECT lsn::text, labelfile, spcmapfile, pg_walfile_name(lsn) FROM pg_backup_stop(wait_for_archive => false)"
                : "SELECT lsn::text, labelfile, spcmapfile, pg_walfile_name(lsn) FROM pg_stop_backup(false, false)";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            running = false;
            String map = rs.getString(3);
            return new Stopped(rs.getString(1), rs.getString(4), rs.getString(2), map == null ? "" : map);
        } catch (SQLException e) {
            throw failed("stopping the backup (pg_backup_stop)", e);
        }
    }

    /** The timeline of the latest checkpoint: after pg_backup_start, the one the backup starts on. */
    public int timeline() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT timeline_id FROM pg_control_checkpoint()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw failed("reading the timeline (pg_control_checkpoint())", e);
        }
    }

    /** The WAL segment the server writes now: every segment before it is complete on disk. */
    public static String currentWalFile(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_walfile_name(pg_current_wal_lsn())")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() {
        try {
            // closing the session aborts a backup still running: the server forgets it
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to do with a broken connection
        }
    }

    public boolean running() {
        return running;
    }

    private static String query(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private CellarException failed(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return switch (state) {
            case "42501" -> new CellarException(ErrorCode.CONFIG_INVALID, what + " was refused for " + spec.user() + ": " + message,
                    "connect as a superuser, or GRANT EXECUTE ON FUNCTION pg_backup_start, pg_backup_stop, pg_control_system, "
                            + "pg_control_init TO the role and grant it pg_read_all_settings", e);
            case "55000" -> new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, what + " failed: " + message,
                    "another backup may be running (an exclusive one on PostgreSQL 14 or older), or the server's settings "
                            + "do not allow online backups; see the message", e);
            case "08006", "08003", "57P01" -> spec.unreachable(e);
            default -> new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, what + " failed on " + spec.describe() + ": " + message,
                    "see the server log for details", e);
        };
    }
}
