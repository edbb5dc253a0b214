package dev.cellar.server.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code backup_monitoring_at(instant)}: the view as it answers at any instant (a test clock, a what-if). */
public final class MonitoringView {
    private final Catalog catalog;

    public MonitoringView(Catalog catalog) {
        this.catalog = catalog;
    }

    public List<MonitoringRow> at(Instant instant) {
        List<MonitoringRow> rows = new ArrayList<>();
        try (Connection c = catalog.dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("""
                     SELECT database, backup_type, last_backup, status, backup_size_mb, duration_minutes,
                            extract(epoch FROM age) * 1000, backup_id,
                            extract(epoch FROM warning_after) * 1000, extract(epoch FROM critical_after) * 1000
                       FROM backup_monitoring_at(?)""")) {
            p.setTimestamp(1, Timestamp.from(instant));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Timestamp last = rs.getTimestamp(3);
                    rows.add(new MonitoringRow(rs.getString(1), rs.getString(2), last == null ? null : last.toInstant(), rs.getString(4),
                            rs.getBigDecimal(5), rs.getBigDecimal(6), millis(rs, 7), rs.getString(8), millis(rs, 9), millis(rs, 10)));
                }
            }
        } catch (SQLException e) {
            throw catalog.unreadable(e);
        }
        return rows;
    }

    private static Duration millis(ResultSet rs, int column) throws SQLException {
        var value = rs.getBigDecimal(column);
        return value == null ? null : Duration.ofMillis(value.longValue());
    }
}
