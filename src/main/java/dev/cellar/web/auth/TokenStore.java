package dev.cellar.web.auth;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * API tokens for scripts and monitoring ({@code cellar.web_api_token}): {@code cellar_} and 32
 * random bytes, shown once, kept as SHA-256, each with a role no higher than its user's and an
 * expiry. A token never proves a second factor, so it cannot call a destructive route.
 */
public final class TokenStore {
    public static final String PREFIX = "cellar_";
    public static final int MAX_DAYS = 3650;

    private final DataSource catalog;
    private final Clock clock;
    private final SecureRandom random;
    private final UserStore users;

    public TokenStore(DataSource catalog, Clock clock, SecureRandom random, UserStore users) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.users = Objects.requireNonNull(users, "users");
    }

    /** What became of a presented token. */
    public enum Status { VALID, UNKNOWN, EXPIRED, REVOKED, USER_GONE, ROLE_ABOVE_USER }

    /** @param token the token's row when it was found (whatever its status) */
    public record Check(Status status, ApiToken token) {
        public String reason() {
            return switch (status) {
                case VALID -> "valid token";
                case UNKNOWN -> "unknown API token";
                case EXPIRED -> "the API token " + token.id() + " expired at " + token.expires();
                case REVOKED -> "the API token " + token.id() + " was revoked";
                case USER_GONE -> "the API token " + token.id() + " belongs to a user who is removed or disabled";
                case ROLE_ABOVE_USER -> "the API token " + token.id() + " has a role above its user's now";
            };
        }
    }

    /**
     * Creates a token for {@code user}.
     *
     * @throws CellarException {@code CONFIG_INVALID} when the role is above the user's or the expiry is out of range
     */
    public IssuedToken create(String user, String name, Role role, int expiresInDays) {
        WebUser owner = users.require(user);
        if (!owner.role().permissions().containsAll(role.permissions())) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "a token of " + user + " cannot have role " + role.id()
                    + ": it would hold more than the user's own role " + owner.role().id(),
                    "give the token role " + owner.role().id() + " or a lower one");
        }
        if (expiresInDays < 1 || expiresInDays > MAX_DAYS) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "a token must expire in 1 to " + MAX_DAYS + " days, not " + expiresInDays,
                    "pick the shortest life the script needs, and create a new token before it ends");
        }
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String id = "tok_" + HexFormat.of().formatHex(idBytes);
        String token = PREFIX + Secrets.random(random, 32);
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofDays(expiresInDays));
        String label = name == null || name.isBlank() ? id : name.strip();
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO cellar.web_api_token"
                + " (id, user_name, name, role, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, user);
            s.setString(3, label);
            s.setString(4, role.id());
            s.setString(5, Secrets.sha256(token));
            s.setObject(6, Sql.ts(now));
            s.setObject(7, Sql.ts(expires));
            s.executeUpdate();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return new IssuedToken(id, user, label, role.id(), expires, token);
    }

    /** Looks a presented token up and, when it is valid, notes its use. */
    public Check check(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return new Check(Status.UNKNOWN, null);
        }
        Optional<ApiToken> found = query("WHERE token_hash = ?", Secrets.sha256(token)).stream().findFirst();
        if (found.isEmpty()) {
            return new Check(Status.UNKNOWN, null);
        }
        ApiToken row = found.get();
        Instant now = clock.instant();
        if (row.revoked() != null) {
            return new Check(Status.REVOKED, row);
        }
        if (!row.expires().isAfter(now)) {
            return new Check(Status.EXPIRED, row);
        }
        Optional<WebUser> owner = users.find(row.user());
        if (owner.isEmpty() || owner.get().disabled()) {
            return new Check(Status.USER_GONE, row);
        }
        if (!owner.get().role().permissions().containsAll(Role.of(row.role()).permissions())) {
            return new Check(Status.ROLE_ABOVE_USER, row);
        }
        try (Connection c = catalog.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE cellar.web_api_token SET last_used_at = ? WHERE id = ?")) {
            s.setObject(1, Sql.ts(now));
            s.setString(2, row.id());
            s.executeUpdate();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return new Check(Status.VALID, row);
    }

    /** Every token, or those of {@code user} when it is not null; newest first. */
    public List<ApiToken> list(String user) {
        return user == null ? query("ORDER BY created_at DESC") : query("WHERE user_name = ? ORDER BY created_at DESC", user);
    }

    public Optional<ApiToken> find(String id) {
        return query("WHERE id = ?", id).stream().findFirst();
    }

    /**
     * Revokes the token now; revoking a revoked token changes nothing.
     *
     * @throws CellarException {@code NOT_FOUND} when there is no such token
     */
    public ApiToken revoke(String id) {
        find(id).orElseThrow(() -> new CellarException(ErrorCode.NOT_FOUND, "no API token '" + id + "'",
                "'cellar token list' shows the tokens and their ids"));
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE cellar.web_api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            s.setObject(1, Sql.ts(clock.instant()));
            s.setString(2, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return find(id).orElseThrow();
    }

    private List<ApiToken> query(String where, String... values) {
        List<ApiToken> tokens = new ArrayList<>();
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement("SELECT id, user_name, name, role,"
                + " created_at, expires_at, revoked_at, last_used_at FROM cellar.web_api_token " + where)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tokens.add(new ApiToken(rs.getString("id"), rs.getString("user_name"), rs.getString("name"), rs.getString("role"),
                            Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "revoked_at"),
                            Sql.instant(rs, "last_used_at")));
                }
            }
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return tokens;
    }
}
