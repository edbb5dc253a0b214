package dev.cellar.drill;

import dev.cellar.drill.check.CheckResult;
import dev.cellar.pg.PgConnectionSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The only thing a drill writes to production: rows in {@code cellar_drill.marker} (docs/drills.md).
 * A before-point row, a restore point, an after-point row, then heartbeats, so that a restored copy
 * tells exactly which of this drill's commits it holds.
 */
public final class DrillMarkers {
    public static final String SCHEMA = "cellar_drill";
    public static final String TABLE = SCHEMA + ".marker";
    static final String BEFORE = "before-point";
    static final String AFTER = "after-point";
    static final String HEARTBEAT = "heartbeat";

    private final PgConnectionSpec source;
    private final String drillId;

    public DrillMarkers(PgConnectionSpec source, String drillId) {
        this.source = source;
        this.drillId = drillId;
    }

    /** The restore point's name: PostgreSQL allows 63 characters. */
    public String restorePoint() {
        String name = "cellar-drill-" + drillId;
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** Where the restore point lies: its LSN and the WAL segment holding it. */
    public record RestorePoint(String lsn, String walFile) {
    }

    /**
     * Creates the table if missing, writes the before-point row, the restore point, the after-point
     * row, and switches WAL so the restore point's segment is archived.
     */
    public RestorePoint writeRestorePoint() {
        try (Connection c = source.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (drill_id text NOT NULL, kind text NOT NULL, "
                    + "written_at timestamptz NOT NULL DEFAULT clock_timestamp())");
            insert(c, BEFORE);
            RestorePoint point;
            try (PreparedStatement ps = c.prepareStatement("SELECT lsn::text, pg_walfile_name(lsn) FROM pg_create_restore_point(?) AS lsn")) {
                ps.setString(1, restorePoint());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    point = new RestorePoint(rs.getString(1), rs.getString(2));
                }
            }
            insert(c, AFTER);
            st.execute("SELECT pg_switch_wal()");
            return point;
        } catch (SQLException e) {
            throw source.unreachable(e);
        }
    }

    /**
     * One heartbeat row every {@code interval} (each its own commit) on a thread of its own, for
     * {@code window} and then until {@code atDisaster} has run: the heartbeat still beats while
     * the drill reads what the archive holds, so commits exist right up to the disaster moment.
     *
     * @return what {@code atDisaster} returned
     */
    public <T> T heartbeatUntil(Duration window, Duration interval, Supplier<T> atDisaster) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Thread beating = Thread.ofPlatform().name("drill-heartbeat").daemon().start(() -> {
            try (Connection c = source.connect()) {
                insert(c, HEARTBEAT);
                while (!stop.get()) {
                    Thread.sleep(interval.toMillis());
                    insert(c, HEARTBEAT);
                }
            } catch (SQLException e) {
                failed.set(source.unreachable(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Thread.sleep(window.toMillis());
            if (failed.get() != null) {
                throw failed.get();
            }
            return atDisaster.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("drill interrupted during the heartbeat", e);
        } finally {
            stop.set(true);
            try {
                beating.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The source server's clock now: the disaster moment is compared with commit times of the same clock. */
    public Instant serverNow() {
        try (Connection c = source.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw source.unreachable(e);
        }
    }

    /** The source's WAL segment size in bytes. */
    public long walSegmentSize() {
        try (Connection c = source.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw source.unreachable(e);
        }
    }

    private Instant insert(Connection c, String kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (drill_id, kind) VALUES (?, ?) RETURNING written_at")) {
            ps.setString(1, drillId);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /** The newest written_at of each kind of this drill's rows in a restored copy (absent kinds missing from the map). */
    public Map<String, Instant> newestIn(Connection restored) throws SQLException {
        Map<String, Instant> newest = new HashMap<>();
        // a copy whose recovery stopped before the first drill ever marked this database has no marker table:
        // that is "no marker recovered", not a failure to read the copy
        try (PreparedStatement ps = restored.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return newest;
                }
            }
        }
        try (PreparedStatement ps = restored.prepareStatement("SELECT kind, max(written_at) FROM " + TABLE + " WHERE drill_id = ? GROUP BY kind")) {
            ps.setString(1, drillId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp at = rs.getTimestamp(2);
                    newest.put(rs.getString(1), at.toInstant());
                }
            }
        }
        return newest;
    }

    /** The check of a copy recovered to the restore point: the before-point row there, nothing written after it. */
    public CheckResult checkAtRestorePoint(Connection restored) throws SQLException {
        Map<String, Instant> newest = newestIn(restored);
        if (!newest.containsKey(BEFORE)) {
            return CheckResult.failed("marker", TABLE, "the before-point row of drill " + drillId + " is missing: recovery stopped before "
                    + "the restore point " + restorePoint());
        }
        if (newest.containsKey(AFTER) || newest.containsKey(HEARTBEAT)) {
            return CheckResult.failed("marker", TABLE, "rows written after the restore point " + restorePoint() + " are present ("
                    + String.join(", ", newest.keySet()) + "): recovery went past its target");
        }
        return CheckResult.passed("marker", TABLE, "the before-point row is there and nothing written after the restore point "
                + restorePoint());
    }
}
