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
 * The status board as one read: backup_monitoring at the clock's instant (one query: the catalog's own
 * function, so the board and the Nagios check never disagree), joined in memory with the plan's next runs
 * and the daemon's newest observation.
 */
public final class StatusBoardService {
    private static final String MONITORING = """
            SELECT database, backup_type, last_backup, status, backup_size_mb, duration_minutes,
                   extract(epoch FROM age) * 1000, backup_id,
                   extract(epoch FROM warning_after) * 1000, extract(epoch FROM critical_after) * 1000
              FROM cellar.backup_monitoring_at(?)""";

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
