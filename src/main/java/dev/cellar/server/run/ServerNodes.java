package dev.cellar.server.run;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The daemons working on one catalog ({@code cellar.server_node}): who they are and whether they still answer. */
public final class ServerNodes {
    private final DataSource dataSource;

    public ServerNodes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records that {@code node} started (again), with the instant its own clock shows. */
    public void register(String node, String host, long pid, Instant clockNow) {
        execute("INSERT INTO cellar.server_node (node, host, pid, clock_started_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (node) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, started_at = now(),"
                + " heartbeat_at = now(), stopped_at = NULL", s -> {
            s.setString(1, node);
            s.setString(2, host);
            s.setLong(3, pid);
            s.setTimestamp(4, Timestamp.from(clockNow));
        });
    }

    public void heartbeat(String node) {
        execute("UPDATE cellar.server_node SET heartbeat_at = now() WHERE node = ?", s -> s.setString(1, node));
    }

    public void stopped(String node) {
        execute("UPDATE cellar.server_node SET stopped_at = now() WHERE node = ?", s -> s.setString(1, node));
    }

    /** The instant the first daemon ever started on this catalog showed on its clock: where slots are first counted from. */
    public Optional<Instant> firstStart() {
        return query("SELECT min(clock_started_at) FROM cellar.server_node", r -> {
            r.next();
            Timestamp t = r.getTimestamp(1);
            return Optional.ofNullable(t).map(Timestamp::toInstant);
        });
    }

    /** Every node with how long ago (in the catalog's clock) it last answered. */
    public List<Node> nodes() {
        return query("SELECT node, host, pid, started_at, heartbeat_at, stopped_at"
                + ", extract(epoch FROM now() - heartbeat_at) FROM cellar.server_node ORDER BY node", r -> {
            List<Node> nodes = new ArrayList<>();
            while (r.next()) {
                Timestamp stopped = r.getTimestamp("stopped_at");
                nodes.add(new Node(r.getString("node"), r.getString("host"), r.getLong("pid"), r.getTimestamp("started_at").toInstant(),
                        r.getTimestamp("heartbeat_at").toInstant(), stopped == null ? null : stopped.toInstant(),
                        Duration.ofMillis((long) (r.getDouble(7) * 1000))));
            }
            return nodes;
        });
    }

    /** One daemon process: {@code silentFor} is the catalog's now minus its last heartbeat. */
    public record Node(String node, String host, long pid, Instant startedAt, Instant heartbeatAt, Instant stoppedAt, Duration silentFor) {
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private void execute(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            s.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private <T> T query(String sql, Reader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            return reader.read(r);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static CellarException unavailable(SQLException e) {
        return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot read or write the daemons' table in the catalog: " + e.getMessage(),
                "check that the catalog database (catalog.url, or the embedded one under server.state-dir) is running", e);
    }
}
