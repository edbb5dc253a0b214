package dev.cellar.wal;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.PgVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the streamer asks the server over an ordinary SQL connection: whether it can stream at
 * all (wal_level, max_wal_senders, the REPLICATION attribute), its system identifier, the
 * replication slot, and the positions behind the status line. The connection is opened lazily
 * and reopened after the server went away, at most once per {@link #RECONNECT_PAUSE}, so a
 * server that is down never slows the shipping loop down by more than one connect timeout.
 */
public final class StreamServer implements AutoCloseable {
    static final Duration RECONNECT_PAUSE = Duration.ofSeconds(2);

    private final PgConnectionSpec database;
    private final Clock clock;
    private Connection connection;
    private Instant lastConnectFailure;

    public StreamServer(PgConnectionSpec database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Facts checked once before streaming. */
    public record Facts(PgVersion version, String versionString, String systemIdentifier, String walLevel, int maxWalSenders,
                        boolean mayReplicate, String user) {
    }

    /** A replication slot as pg_replication_slots shows it. */
    public record Slot(String name, String type, Integer activePid, String activeClient, long restartLsn, String walStatus) {
    }

    /** The server's flushed position, and how far the slot's receiver has confirmed (-1: unknown). */
    public record Positions(long serverLsn, long slotLsn) {
    }

    /** Reads the facts and refuses a server that cannot stream, with what to change. */
    public synchronized Facts requireStreamable() {
        Facts facts;
        try (Statement st = connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('server_version'), "
                     + "(SELECT system_identifier::text FROM pg_control_system()), current_setting('wal_level'), "
                     + "current_setting('max_wal_senders')::int, "
                     + "(SELECT rolsuper OR rolreplication FROM pg_roles WHERE rolname = current_user), current_user")) {
            rs.next();
            facts = new Facts(PgVersion.fromServerVersionNum(rs.getInt(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getInt(5), rs.getBoolean(6), rs.getString(7));
        } catch (SQLException e) {
            throw lost(e);
        }
        if (facts.walLevel().equals("minimal")) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "the server at " + where() + " has wal_level = minimal, which cannot be streamed",
                    "set wal_level = replica (and max_wal_senders >= 2) in postgresql.conf and restart PostgreSQL");
        }
        if (facts.maxWalSenders() == 0) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "the server at " + where() + " has max_wal_senders = 0: it accepts no streaming clients",
                    "set max_wal_senders to at least 2 (one for cellar wal stream, one spare) in postgresql.conf and restart PostgreSQL");
        }
        if (!facts.mayReplicate()) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "database user " + facts.user() + " lacks the REPLICATION attribute, "
                    + "which streaming WAL needs", "run ALTER ROLE " + facts.user() + " REPLICATION; as a superuser, or set database.user to a role that has it");
        }
        return facts;
    }

    public synchronized Optional<Slot> slot(String name) {
        try (PreparedStatement ps = connection().prepareStatement("SELECT s.slot_type, s.active_pid, "
                + "coalesce(a.application_name, '') || ' from ' || coalesce(a.client_addr::text, 'local socket'), "
                + "s.restart_lsn::text, coalesce(s.wal_status, '') FROM pg_replication_slots s "
                + "LEFT JOIN pg_stat_replication a ON a.pid = s.active_pid WHERE s.slot_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Integer pid = rs.getObject(2) == null ? null : rs.getInt(2);
                String restart = rs.getString(4);
                return Optional.of(new Slot(name, rs.getString(1), pid, rs.getString(3), restart == null ? -1 : Lsn.parse(restart), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw lost(e);
        }
    }

    /** Creates a physical slot that reserves WAL from now on; returns its position. */
    public synchronized long createPhysicalSlot(String name) {
        try (PreparedStatement ps = connection().prepareStatement("SELECT lsn::text FROM pg_create_physical_replication_slot(?, true)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Lsn.parse(rs.getString(1));
            }
        } catch (SQLException e) {
            if ("42710".equals(e.getSQLState())) {
                return slot(name).map(Slot::restartLsn).orElse(-1L);
            }
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot create replication slot " + name + " on " + where() + ": "
                    + e.getMessage(), "check max_replication_slots (a free slot is needed) and that the user has the REPLICATION attribute");
        }
    }

    /** Positions now, or empty when the server cannot be asked (down, restarting). */
    public synchronized Optional<Positions> positions(String slot) {
        if (lastConnectFailure != null && connection == null
                && Duration.between(lastConnectFailure, clock.instant()).compareTo(RECONNECT_PAUSE) < 0) {
            return Optional.empty();
        }
        try (PreparedStatement ps = connection().prepareStatement("SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() "
                + "ELSE pg_current_wal_flush_lsn() END)::text, (SELECT restart_lsn::text FROM pg_replication_slots WHERE slot_name = ?)")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String server = rs.getString(1);
                String slotLsn = rs.getString(2);
                return Optional.of(new Positions(server == null ? -1 : Lsn.parse(server), slotLsn == null ? -1 : Lsn.parse(slotLsn)));
            }
        } catch (SQLException | CellarException e) {
            dropConnection();
            lastConnectFailure = clock.instant();
            return Optional.empty();
        }
    }

    /** The slot's confirmed position, if the server answers. */
    public OptionalLong slotLsn(String slot) {
        return positions(slot).filter(p -> p.slotLsn() >= 0).map(p -> OptionalLong.of(p.slotLsn())).orElse(OptionalLong.empty());
    }

    @Override
    public synchronized void close() {
        dropConnection();
    }

    private Connection connection() {
        if (connection == null) {
            connection = database.connect();
            try (Statement st = connection.createStatement()) {
                // a status query must never hang the shipping loop for long
                st.execute("SET statement_timeout = '5s'");
            } catch (SQLException e) {
                dropConnection();
                throw lost(e);
            }
        }
        return connection;
    }

    private void dropConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is gone either way
            }
            connection = null;
        }
    }

    private CellarException lost(SQLException e) {
        dropConnection();
        return database.unreachable(e);
    }

    private String where() {
        return database.host() + ":" + database.port();
    }
}
