package dev.cellar.web.ui;

import dev.cellar.server.alert.AlertThresholds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A database's backup history over 30, 90 or 365 days from the catalog: three queries (its backups with
 * the comparable ones before the window, the repository's growth, its checks), decided by {@link Histories}.
 */
public final class HistoryService {
    /** The windows the charts offer; anything else is refused so a request cannot ask for a decade. */
    public static final Set<Integer> WINDOWS = Set.of(30, 90, 365);

    // the window's backups, and before it the newest few of each kind: the alert's yardstick for the first ones
    private static final String BACKUPS = """
            SELECT backup_id, backup_type, physical_type, started_at, size_bytes, stored_bytes, extract(epoch FROM duration) * 1000
              FROM (SELECT *, row_number() OVER (PARTITION BY backup_type, physical_type ORDER BY started_at DESC) AS nth
                      FROM cellar.backup_log
                     WHERE status = 'ok' AND database = ? AND backup_type IS NOT NULL AND started_at < ?) earlier
             WHERE nth <= ?
            UNION ALL
            SELECT backup_id, backup_type, physical_type, started_at, size_bytes, stored_bytes, extract(epoch FROM duration) * 1000
              FROM cellar.backup_log
             WHERE status = 'ok' AND database = ? AND backup_type IS NOT NULL AND started_at >= ? AND started_at <= ?
             ORDER BY 4""";
    private static final String GROWTH = """
            SELECT day, sum(added), sum(removed) FROM (
                SELECT (started_at AT TIME ZONE 'UTC')::date AS day, stored_bytes AS added, 0 AS removed
                  FROM cellar.backup_log WHERE status = 'ok' AND stored_bytes IS NOT NULL AND started_at <= ?
                UNION ALL
                SELECT (expired_at AT TIME ZONE 'UTC')::date, 0, stored_bytes
                  FROM cellar.backup_log WHERE status = 'ok' AND stored_bytes IS NOT NULL AND expired_at <= ?) changes
             GROUP BY day""";
    // a restore test names the backup it restored: that backup's row names the database; a verify is the repository's
    private static final String CHECKS = """
            SELECT v.operation, v.finished_at, v.status, v.error
              FROM cellar.backup_log v
              LEFT JOIN cellar.backup_log b ON v.operation = 'verify.restore-test' AND b.backup_id = v.target
             WHERE v.operation IN ('verify', 'verify.restore-test') AND v.status NOT IN ('running')
               AND v.finished_at BETWEEN ? AND ? AND (v.operation = 'verify' OR b.database = ? OR v.database = ?)
             ORDER BY v.finished_at""";

    private final DataSource catalog;
    private final AlertThresholds thresholds;
    private final Clock clock;

    /** @param thresholds the alerts' own, so the band drawn is the band alerted on */
    public HistoryService(DataSource catalog, AlertThresholds thresholds, Clock clock) {
        this.catalog = catalog;
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** @throws IllegalArgumentException when {@code days} is not one of {@link #WINDOWS} */
    public History history(String database, int days) {
        if (!WINDOWS.contains(days)) {
            throw new IllegalArgumentException("days must be 30, 90 or 365, not " + days);
        }
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofDays(days));
        try (Connection c = catalog.getConnection()) {
            return new History(database, days, from, to, Histories.withBands(backups(c, database, from, to), from, thresholds),
                    growth(c, from, to), checks(c, database, from, to));
        } catch (SQLException e) {
            throw CatalogReads.unreadable(e);
        }
    }

    /** The databases the catalog has backups of, for the page's picker. */
    public List<String> databases() {
        List<String> names = new ArrayList<>();
        try (Connection c = catalog.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT database FROM cellar.backup_monitoring_at(?) GROUP BY database ORDER BY database")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
        } catch (SQLException e) {
            throw CatalogReads.unreadable(e);
        }
        return names;
    }

    private List<Histories.LoggedSize> backups(Connection c, String database, Instant from, Instant to) throws SQLException {
        List<Histories.LoggedSize> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(BACKUPS)) {
            s.setString(1, database);
            s.setTimestamp(2, Timestamp.from(from));
            s.setInt(3, thresholds.sizeComparableBackups());
            s.setString(4, database);
            s.setTimestamp(5, Timestamp.from(from));
            s.setTimestamp(6, Timestamp.from(to));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String physical = r.getString(3);
                    String kind = physical == null ? r.getString(2) : r.getString(2) + "-" + physical;
                    var millis = r.getBigDecimal(7);
                    rows.add(new Histories.LoggedSize(r.getString(1), kind, CatalogReads.instant(r, 4), CatalogReads.longOrNull(r, 5),
                            CatalogReads.longOrNull(r, 6), millis == null ? null : Duration.ofMillis(millis.longValue())));
                }
            }
        }
        return rows;
    }

    private static List<History.GrowthPoint> growth(Connection c, Instant from, Instant to) throws SQLException {
        NavigableMap<LocalDate, Long> added = new TreeMap<>();
        NavigableMap<LocalDate, Long> removed = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement(GROWTH)) {
            s.setTimestamp(1, Timestamp.from(to));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    LocalDate day = r.getObject(1, LocalDate.class);
                    added.put(day, r.getLong(2));
                    removed.put(day, r.getLong(3));
                }
            }
        }
        return Histories.growth(added, removed, from.atZone(ZoneOffset.UTC).toLocalDate(), to.atZone(ZoneOffset.UTC).toLocalDate());
    }

    private static List<History.CheckPoint> checks(Connection c, String database, Instant from, Instant to) throws SQLException {
        List<History.CheckPoint> checks = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(CHECKS)) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            s.setString(3, database);
            s.setString(4, database);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    boolean passed = "ok".equals(r.getString(3));
                    checks.add(new History.CheckPoint(CatalogReads.instant(r, 2),
                            "verify".equals(r.getString(1)) ? "verify" : "restore-test", passed, passed ? null : r.getString(4)));
                }
            }
        }
        return checks;
    }
}
