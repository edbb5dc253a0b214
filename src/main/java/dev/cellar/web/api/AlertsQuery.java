package dev.cellar.web.api;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The alert incidents of the catalog as the API lists them (open, acknowledged, resolved), and the
 * acknowledgement the dashboard records: someone is on it; reminders still go out until it is resolved.
 */
final class AlertsQuery {
    /** One incident. {@code state} is derived: resolved, else acknowledged, else open. */
    record Incident(long id, String key, String condition, String severity, String subject, String summary, String details,
                    String action, Instant problemSince, Instant openedAt, Instant lastNotifiedAt, int reminders, Instant resolvedAt,
                    Instant acknowledgedAt, String acknowledgedBy, String acknowledgementNote, String state) {
    }

    static final List<String> STATES = List.of("open", "acknowledged", "resolved");
    private static final int LIMIT = 500;

    private final DataSource catalog;

    AlertsQuery(DataSource catalog) {
        this.catalog = catalog;
    }

    /** The newest incidents, newest first; {@code state} null for all. */
    List<Incident> list(String state) {
        String where = state == null ? "" : switch (state) {
            case "open" -> " WHERE resolved_at IS NULL AND acknowledged_at IS NULL";
            case "acknowledged" -> " WHERE resolved_at IS NULL AND acknowledged_at IS NOT NULL";
            case "resolved" -> " WHERE resolved_at IS NOT NULL";
            default -> throw ApiProblem.badRequest("unknown alert state '" + state + "'", "use one of " + String.join(", ", STATES));
        };
        return query(where, null);
    }

    private List<Incident> query(String where, Long id) {
        try (Connection c = catalog.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, incident_key, condition, severity, subject, summary, details, action, "
                        + "problem_since, opened_at, last_notified_at, reminders, resolved_at, acknowledged_at, acknowledged_by, "
                        + "acknowledgement_note FROM cellar.alert_incident" + where + " ORDER BY opened_at DESC, id DESC LIMIT " + LIMIT)) {
            if (id != null) {
                ps.setLong(1, id);
            }
            return incidents(ps);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static List<Incident> incidents(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<Incident> incidents = new ArrayList<>();
            while (rs.next()) {
                Instant resolved = instant(rs, 13);
                Instant acknowledged = instant(rs, 14);
                incidents.add(new Incident(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9), instant(rs, 10), instant(rs, 11), rs.getInt(12),
                        resolved, acknowledged, rs.getString(15), rs.getString(16),
                        resolved != null ? "resolved" : acknowledged != null ? "acknowledged" : "open"));
            }
            return incidents;
        }
    }

    /**
     * Acknowledges an open incident.
     *
     * @throws ApiProblem 404 when there is no such incident, 409 when it is resolved or already acknowledged
     */
    Incident acknowledge(long id, String user, String note, Instant now) {
        try (Connection c = catalog.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE cellar.alert_incident SET acknowledged_at = ?, acknowledged_by = ?, "
                        + "acknowledgement_note = ? WHERE id = ? AND resolved_at IS NULL AND acknowledged_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, user);
            ps.setString(3, note);
            ps.setLong(4, id);
            boolean changed = ps.executeUpdate() == 1;
            Incident incident = query(" WHERE id = ?", id).stream().findFirst()
                    .orElseThrow(() -> ApiProblem.notFound("no alert " + id, "GET /api/alerts lists them"));
            if (!changed) {
                throw new ApiProblem(409, "alert " + id + " is " + incident.state() + (incident.acknowledgedBy() == null ? ""
                        : " (by " + incident.acknowledgedBy() + ")"), "only an open alert can be acknowledged");
            }
            return incident;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static CellarException unavailable(SQLException e) {
        return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot read the alerts in the catalog: " + e.getMessage(),
                "check that the catalog database answers (GET /health)");
    }
}
