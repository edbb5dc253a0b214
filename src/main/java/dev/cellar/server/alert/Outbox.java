package dev.cellar.server.alert;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code cellar.alert_notification} table: notifications written in the same transaction as
 * the incident change they announce, and taken off one at a time per channel, oldest first.
 */
final class Outbox {
    private static final int ERROR_CHARS = 2000;

    /** A notification that is due and locked by this transaction. */
    record Pending(long id, long incidentId, String channel, NoticeKind kind, String payload, int attempts) {
    }

    void enqueue(Connection c, String channel, Notice notice, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cellar.alert_notification (incident_id, channel, kind, payload, "
                + "created_at, next_attempt_at) VALUES (?, ?, ?, ?::jsonb, ?, ?)")) {
            ps.setLong(1, notice.incidentId());
            ps.setString(2, channel);
            ps.setString(3, notice.kind().word());
            ps.setString(4, NoticeJson.write(notice));
            ps.setTimestamp(5, IncidentStore.timestamp(now));
            ps.setTimestamp(6, IncidentStore.timestamp(now));
            ps.executeUpdate();
        }
    }

    /**
     * Locks the channel's oldest undelivered notification if it is due. Empty when the head is not
     * due yet (a retry waits, and everything behind it waits with it, to keep the order) or another
     * process holds it: {@code SKIP LOCKED} passes over the locked head, and the {@code NOT EXISTS}
     * keeps the rows behind it from being taken out of order.
     */
    Optional<Pending> claimHead(Connection c, String channel, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n.id, n.incident_id, n.kind, n.payload::text, n.attempts "
                + "FROM cellar.alert_notification n WHERE n.channel = ? AND n.delivered_at IS NULL AND n.next_attempt_at <= ? "
                + "AND NOT EXISTS (SELECT 1 FROM cellar.alert_notification o WHERE o.channel = n.channel AND o.delivered_at IS NULL "
                + "AND o.id < n.id) ORDER BY n.id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, channel);
            ps.setTimestamp(2, IncidentStore.timestamp(now));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Pending(rs.getLong(1), rs.getLong(2), channel, NoticeKind.ofWord(rs.getString(3)), rs.getString(4),
                        rs.getInt(5)));
            }
        }
    }

    void delivered(Connection c, Pending pending, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cellar.alert_notification SET delivered_at = ?, attempts = attempts + 1, "
                + "last_error = NULL WHERE id = ?")) {
            ps.setTimestamp(1, IncidentStore.timestamp(now));
            ps.setLong(2, pending.id());
            ps.executeUpdate();
        }
    }

    void failed(Connection c, Pending pending, Instant nextAttempt, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cellar.alert_notification SET attempts = attempts + 1, next_attempt_at = ?, "
                + "last_error = ? WHERE id = ?")) {
            ps.setTimestamp(1, IncidentStore.timestamp(nextAttempt));
            ps.setString(2, error.length() > ERROR_CHARS ? error.substring(0, ERROR_CHARS) : error);
            ps.setLong(3, pending.id());
            ps.executeUpdate();
        }
    }
}
