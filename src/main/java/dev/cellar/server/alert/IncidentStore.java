package dev.cellar.server.alert;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code cellar.alert_incident} table. Every change is a guarded statement that returns a row
 * only to the process that made it: opening relies on the unique index of open keys, reminding
 * and resolving on the row's own state, so two processes applying the same plan notify once.
 */
final class IncidentStore {
    private static final String RETURNED = "id, incident_key, condition, severity, subject, summary, details, action, problem_since, "
            + "opened_at, reminders";

    List<OpenIncident> open(Connection c) throws SQLException {
        List<OpenIncident> open = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, incident_key, condition, severity, opened_at, last_notified_at, reminders "
                + "FROM cellar.alert_incident WHERE resolved_at IS NULL ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                open.add(new OpenIncident(rs.getLong(1), rs.getString(2), rs.getString(3), Severity.ofWord(rs.getString(4)),
                        instant(rs, 5), instant(rs, 6), rs.getInt(7)));
            }
        }
        return open;
    }

    /** Opens an incident for the finding, unless another process just did; the notice of the opening if this one did. */
    Optional<Notice> open(Connection c, Finding f, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cellar.alert_incident (incident_key, condition, severity, subject, "
                + "summary, details, action, problem_since, opened_at, last_notified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (incident_key) WHERE resolved_at IS NULL DO NOTHING RETURNING " + RETURNED)) {
            ps.setString(1, f.key());
            ps.setString(2, f.condition());
            ps.setString(3, f.severity().word());
            ps.setString(4, f.subject());
            ps.setString(5, f.summary());
            ps.setString(6, f.details());
            ps.setString(7, f.action());
            ps.setTimestamp(8, timestamp(f.since()));
            ps.setTimestamp(9, timestamp(now));
            ps.setTimestamp(10, timestamp(now));
            return notice(ps, NoticeKind.OPENED, now);
        }
    }

    /** Records a reminder if it is still due (no other process sent it since); the notice if so. */
    Optional<Notice> remind(Connection c, OpenIncident incident, Finding f, Instant dueBefore, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cellar.alert_incident SET last_notified_at = ?, reminders = reminders + 1, "
                + "severity = ?, subject = ?, summary = ?, details = ?, action = ? "
                + "WHERE id = ? AND resolved_at IS NULL AND (last_notified_at <= ? OR (severity = 'warning' AND ? = 'critical')) "
                + "RETURNING " + RETURNED)) {
            ps.setTimestamp(1, timestamp(now));
            ps.setString(2, f.severity().word());
            ps.setString(3, f.subject());
            ps.setString(4, f.summary());
            ps.setString(5, f.details());
            ps.setString(6, f.action());
            ps.setLong(7, incident.id());
            ps.setTimestamp(8, timestamp(dueBefore));
            ps.setString(9, f.severity().word());
            return notice(ps, NoticeKind.REMINDER, now);
        }
    }

    /** Keeps an open incident's words current (figures change while it lasts) without notifying. */
    void refresh(Connection c, OpenIncident incident, Finding f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cellar.alert_incident SET summary = ?, details = ?, action = ?, subject = ?, "
                + "severity = CASE WHEN ? = 'warning' THEN 'warning' ELSE severity END WHERE id = ? AND resolved_at IS NULL")) {
            ps.setString(1, f.summary());
            ps.setString(2, f.details());
            ps.setString(3, f.action());
            ps.setString(4, f.subject());
            ps.setString(5, f.severity().word());
            ps.setLong(6, incident.id());
            ps.executeUpdate();
        }
    }

    /** Resolves the incident unless another process just did; the notice of the resolution if this one did. */
    Optional<Notice> resolve(Connection c, OpenIncident incident, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cellar.alert_incident SET resolved_at = ? "
                + "WHERE id = ? AND resolved_at IS NULL RETURNING " + RETURNED)) {
            ps.setTimestamp(1, timestamp(now));
            ps.setLong(2, incident.id());
            return notice(ps, NoticeKind.RESOLVED, now);
        }
    }

    private static Optional<Notice> notice(PreparedStatement ps, NoticeKind kind, Instant now) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Notice(rs.getLong("id"), rs.getString("incident_key"), rs.getString("condition"), kind,
                    Severity.ofWord(rs.getString("severity")), rs.getString("subject"), rs.getString("summary"), rs.getString("details"),
                    rs.getString("action"), instant(rs, "problem_since"), instant(rs, "opened_at"), now,
                    kind == NoticeKind.REMINDER ? rs.getInt("reminders") : 0));
        }
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
