package dev.cellar.web.ui;

import dev.cellar.config.ScheduledDatabase;
import dev.cellar.server.catalog.MonitoringRow;
import dev.cellar.server.metrics.MonitoringSnapshot;
import dev.cellar.server.schedule.JobPlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The status board as one read: backup_monitoring at the clock's instant (one indexed query that judges
 * as the catalog's function does), joined in memory with the plan's next runs and the daemon's newest
 * observation.
 */
public final class StatusBoardService {
    /**
     * backup_monitoring_at(?) with the same rows and the same judgement, reached through the indexes: its
     * pairs by a skip scan of backup_log_newest_ok (plus the few never-successful pairs and expected_backup),
     * each pair's newest successful backup by one index probe. The catalog's function reads every row of
     * backup_log, over a second for a hundred databases with a year of hourly backups;
     * DashboardBrowserIT checks that both answer the same.
     */
    static final String MONITORING = """
            WITH RECURSIVE ok_pairs AS (
                (SELECT database, backup_type FROM cellar.backup_log
                  WHERE status = 'ok' AND backup_type IS NOT NULL AND database IS NOT NULL
                  ORDER BY database, backup_type LIMIT 1)
                UNION ALL
                SELECT n.database, n.backup_type FROM ok_pairs p CROSS JOIN LATERAL (
                    SELECT l.database, l.backup_type FROM cellar.backup_log l
                     WHERE l.status = 'ok' AND l.backup_type IS NOT NULL AND l.database IS NOT NULL
                       AND (l.database, l.backup_type) > (p.database, p.backup_type)
                     ORDER BY l.database, l.backup_type LIMIT 1) n
            ), pairs AS (
                SELECT database, backup_type FROM ok_pairs
                UNION
                SELECT database, backup_type FROM cellar.backup_log
                 WHERE status <> 'ok' AND backup_type IS NOT NULL AND database IS NOT NULL
                UNION
                SELECT database, backup_type FROM cellar.expected_backup
            ), params AS (SELECT ?::timestamptz AS at)
            SELECT p.database, p.backup_type, n.started_at,
                   CASE WHEN n.started_at IS NULL OR n.started_at < params.at - t.critical_after THEN 'CRITICAL'
                        WHEN n.started_at < params.at - t.warning_after THEN 'WARNING'
                        ELSE 'OK' END,
                   round(n.size_bytes / 1048576.0, 1), round(extract(epoch FROM n.duration) / 60, 1),
                   extract(epoch FROM params.at - n.started_at) * 1000, n.backup_id,
                   extract(epoch FROM t.warning_after) * 1000, extract(epoch FROM t.critical_after) * 1000
              FROM pairs p
              CROSS JOIN params
              JOIN cellar.monitoring_threshold t ON t.backup_type = p.backup_type
              LEFT JOIN LATERAL (
                  SELECT l.started_at, l.size_bytes, l.duration, l.backup_id FROM cellar.backup_log l
                   WHERE l.database = p.database AND l.backup_type = p.backup_type AND l.status = 'ok'
                     AND l.started_at <= params.at AND (l.expired_at IS NULL OR l.expired_at > params.at)
                   ORDER BY l.started_at DESC LIMIT 1) n ON true
             ORDER BY p.database, p.backup_type""";

    private final DataSource catalog;
    private final JobPlan plan;
    private final Supplier<MonitoringSnapshot> observed;
    private final Clock clock;

    /**
     * @param observed the daemon's newest observation round, or null before the first (the metrics hold it:
     *                 {@code CellarMetrics::latest})
     */
    public StatusBoardService(DataSource catalog, JobPlan plan, Supplier<MonitoringSnapshot> observed, Clock clock) {
        this.catalog = catalog;
        this.plan = plan;
        this.observed = observed;
        this.clock = clock;
    }

    public StatusBoard board() {
        Instant now = clock.instant();
        Map<String, Duration> objectives = plan.config().scheduledDatabases().stream()
                .collect(Collectors.toMap(ScheduledDatabase::name, d -> Duration.ofSeconds(d.rpoObjectiveSeconds()), (a, b) -> a));
        MonitoringSnapshot snapshot = observed.get();
        // the metrics start with an empty snapshot: that is "not observed yet", not "no lag"
        if (snapshot != null && snapshot.databases().isEmpty() && snapshot.repositories().isEmpty()) {
            snapshot = null;
        }
        return StatusBoards.assemble(now, monitoring(now), objectives, plan.jobs(), snapshot);
    }

    private List<MonitoringRow> monitoring(Instant now) {
        List<MonitoringRow> rows = new ArrayList<>();
        try (Connection c = catalog.getConnection(); PreparedStatement p = c.prepareStatement(MONITORING)) {
            p.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Timestamp last = rs.getTimestamp(3);
                    rows.add(new MonitoringRow(rs.getString(1), rs.getString(2), last == null ? null : last.toInstant(), rs.getString(4),
                            rs.getBigDecimal(5), rs.getBigDecimal(6), millis(rs, 7), rs.getString(8), millis(rs, 9), millis(rs, 10)));
                }
            }
        } catch (SQLException e) {
            throw CatalogReads.unreadable(e);
        }
        return rows;
    }

    private static Duration millis(ResultSet rs, int column) throws SQLException {
        var value = rs.getBigDecimal(column);
        return value == null ? null : Duration.ofMillis(value.longValue());
    }
}
