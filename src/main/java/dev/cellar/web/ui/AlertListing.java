package dev.cellar.web.ui;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The alert incidents the alerts page shows: every unresolved one, and those resolved in the last 30 days. */
public final class AlertListing {
    static final Duration RESOLVED_SHOWN = Duration.ofDays(30);
    private static final String INCIDENTS = """
            SELECT id, severity, condition, subject, summary, details, action, opened_at, acknowledged_at, acknowledged_by, resolved_at
              FROM cellar.alert_incident
             WHERE resolved_at IS NULL OR resolved_at >= ?
             ORDER BY resolved_at IS NOT NULL, severity = 'warning', opened_at DESC
             LIMIT 500""";

    private final DataSource catalog;
    private final Clock clock;

    public AlertListing(DataSource catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    public List<AlertLine> recent() {
        List<AlertLine> lines = new ArrayList<>();
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(INCIDENTS)) {
            s.setTimestamp(1, Timestamp.from(clock.instant().minus(RESOLVED_SHOWN)));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lines.add(new AlertLine(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                            r.getString(7), CatalogReads.instant(r, 8), CatalogReads.instant(r, 9), r.getString(10),
                            CatalogReads.instant(r, 11)));
                }
            }
        } catch (SQLException e) {
            throw CatalogReads.unreadable(e);
        }
        return lines;
    }
}
