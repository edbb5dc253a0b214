package dev.cellar.web.auth;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Dashboard sessions in the catalog ({@code cellar.web_session}), so every node of a cluster of
 * servers knows them: a random id (the cookie; only its SHA-256 is stored), an idle and an
 * absolute expiry, and a CSRF token of its own.
 */
public final class SessionStore {
    private static final int ID_BYTES = 32;

    private final DataSource catalog;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration idle;
    private final Duration max;

    public SessionStore(DataSource catalog, Clock clock, SecureRandom random, Duration idle, Duration max) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.idle = Objects.requireNonNull(idle, "idle");
        this.max = Objects.requireNonNull(max, "max");
    }

    /** A session just opened: {@code id} goes into the cookie and is not kept anywhere else. */
    public record Opened(String id, WebSession session) {
        @Override
        public String toString() {
            return "Opened[" + session + "]";
        }
    }

    /** Opens a session; {@code secondFactorPending} when the user must still give a code before it can do anything. */
    public Opened open(String user, Role role, Principal.Via via, boolean secondFactorPending) {
        String id = Secrets.random(random, ID_BYTES);
        Instant now = clock.instant();
        WebSession session = new WebSession(Secrets.sha256(id), user, role, via, now, now, now.plus(max), null, secondFactorPending,
                Secrets.random(random, 24));
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO cellar.web_session"
                + " (id_hash, user_name, role, via, created_at, last_seen_at, expires_at, second_factor_pending, csrf_token)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, session.idHash());
            s.setString(2, user);
            s.setString(3, role.id());
            s.setString(4, via.name().toLowerCase(Locale.ROOT));
            s.setObject(5, Sql.ts(now));
            s.setObject(6, Sql.ts(now));
            s.setObject(7, Sql.ts(session.expires()));
            s.setBoolean(8, secondFactorPending);
            s.setString(9, session.csrfToken());
            s.executeUpdate();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return new Opened(id, session);
    }

    /**
     * The live session of the cookie value {@code id}, its idle clock restarted; empty when there
     * is none or it expired (idle too long, or older than the absolute limit), which then ends.
     */
    public Optional<WebSession> find(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        String hash = Secrets.sha256(id);
        Instant now = clock.instant();
        try (Connection c = catalog.getConnection()) {
            WebSession session;
            try (PreparedStatement s = c.prepareStatement("SELECT id_hash, user_name, role, via, created_at, last_seen_at, expires_at,"
                    + " second_factor_at, second_factor_pending, csrf_token FROM cellar.web_session WHERE id_hash = ?")) {
                s.setString(1, hash);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    session = new WebSession(rs.getString("id_hash"), rs.getString("user_name"), Role.of(rs.getString("role")),
                            Principal.Via.valueOf(rs.getString("via").toUpperCase(Locale.ROOT)), Sql.instant(rs, "created_at"),
                            Sql.instant(rs, "last_seen_at"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "second_factor_at"),
                            rs.getBoolean("second_factor_pending"), rs.getString("csrf_token"));
                }
            }
            if (!session.expires().isAfter(now) || !session.lastSeen().plus(idle).isAfter(now)) {
                delete(c, hash);
                return Optional.empty();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE cellar.web_session SET last_seen_at = ? WHERE id_hash = ?")) {
                s.setObject(1, Sql.ts(now));
                s.setString(2, hash);
                s.executeUpdate();
            }
            return Optional.of(session);
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    /** Records a second factor proved now: the session leaves its waiting state, and destructive routes open for a while. */
    public Instant proveSecondFactor(WebSession session) {
        Instant now = clock.instant();
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE cellar.web_session"
                + " SET second_factor_at = ?, second_factor_pending = false WHERE id_hash = ?")) {
            s.setObject(1, Sql.ts(now));
            s.setString(2, session.idHash());
            s.executeUpdate();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return now;
    }

    /** Ends the session (logout). */
    public void close(WebSession session) {
        try (Connection c = catalog.getConnection()) {
            delete(c, session.idHash());
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    /** Deletes every session that has expired; returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM cellar.web_session WHERE expires_at <= ? OR last_seen_at <= ?")) {
            s.setObject(1, Sql.ts(now));
            s.setObject(2, Sql.ts(now.minus(idle)));
            return s.executeUpdate();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    private static void delete(Connection c, String hash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM cellar.web_session WHERE id_hash = ?")) {
            s.setString(1, hash);
            s.executeUpdate();
        }
    }
}
