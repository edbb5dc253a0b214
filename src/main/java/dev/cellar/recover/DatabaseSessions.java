package dev.cellar.recover;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.SnapshotSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The sessions on the database a recovery replaces, seen and ended through a maintenance
 * connection: who is connected, ending them, and keeping new ones out while the restore runs.
 * Cellar's own sessions (application name starting with "cellar") are not counted: they are
 * this recovery's, or a backup that must not block it.
 */
public final class DatabaseSessions {
    private static final String OTHERS = "FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid() "
            + "AND backend_type = 'client backend' AND coalesce(application_name, '') NOT LIKE 'cellar%'";

    private final PgConnectionSpec maintenance;
    private final String database;

    /** @param maintenance a connection to another database of the same server (postgres) */
    public DatabaseSessions(PgConnectionSpec maintenance, String database) {
        this.maintenance = maintenance;
        this.database = database;
    }

    public boolean databaseExists() {
        try (Connection c = maintenance.connect(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw maintenance.unreachable(e);
        }
    }

    public List<LiveSession> others() {
        try (Connection c = maintenance.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT usename, coalesce(application_name, ''), coalesce(host(client_addr), 'local'), count(*) " + OTHERS
                        + " GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3")) {
            ps.setString(1, database);
            List<LiveSession> sessions = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sessions.add(new LiveSession(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
                }
            }
            return sessions;
        } catch (SQLException e) {
            throw maintenance.unreachable(e);
        }
    }

    /** Ends the other sessions; returns how many were asked to end. */
    public int terminateOthers() {
        try (Connection c = maintenance.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) " + OTHERS)) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "cannot end the sessions on database " + database + ": " + e.getMessage(),
                    "the recovering role needs to be a superuser or a member of pg_signal_backend");
        }
    }

    /** Lets sessions connect to the database again, or keeps new ones out (existing ones stay). */
    public void allowConnections(boolean allow) {
        try (Connection c = maintenance.connect(); Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + SnapshotSession.quoteIdentifier(database) + " ALLOW_CONNECTIONS " + allow);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "cannot " + (allow ? "allow" : "refuse") + " connections to database "
                    + database + ": " + e.getMessage(), "the recovering role must own the database or be a superuser");
        }
    }

    /** Whether the database accepts connections (false while a recovery keeps sessions out). */
    public boolean allowsConnections() {
        try (Connection c = maintenance.connect(); PreparedStatement ps = c.prepareStatement("SELECT datallowconn FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw maintenance.unreachable(e);
        }
    }
}
