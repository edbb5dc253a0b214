package dev.cellar.web.auth;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The web users in the catalog ({@code cellar.web_user}, {@code web_recovery_code}): add, change,
 * lock and remove them, and keep the state of their second factor. The CLI and the REST API both
 * call it, so a locked-out admin can be rescued from a shell on the host.
 */
public final class UserStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final String COLUMNS = "name, role, password_hash, totp_secret, totp_pending_secret, totp_enrolled, totp_last_step,"
            + " failed_attempts, locked_until, created_at, disabled";

    private final DataSource catalog;
    private final Clock clock;
    private final Argon2idPasswords passwords;

    public UserStore(DataSource catalog, Clock clock, Argon2idPasswords passwords) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
    }

    public Argon2idPasswords passwords() {
        return passwords;
    }

    /**
     * Adds a user who logs in with {@code password} (checked against {@link PasswordRule}).
     *
     * @throws CellarException {@code CONFIG_INVALID} for a bad name, a weak password, or a name already taken
     */
    public UserSummary add(String name, Role role, char[] password) {
        requireName(name);
        PasswordRule.require(name, password);
        String hash = passwords.hash(password);
        Instant now = clock.instant();
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO cellar.web_user (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
            s.setString(1, name);
            s.setString(2, role.id());
            s.setString(3, hash);
            s.setObject(4, Sql.ts(now));
            if (s.executeUpdate() == 0) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "web user '" + name + "' exists already",
                        "change it with 'cellar user passwd " + name + "' or 'cellar user set-role " + name + " ROLE', or pick another name");
            }
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return require(name).summary(now);
    }

    public Optional<WebUser> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try (Connection c = catalog.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM cellar.web_user WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    /** @throws CellarException {@code NOT_FOUND} naming the users there are */
    public WebUser require(String name) {
        return find(name).orElseThrow(() -> new CellarException(ErrorCode.NOT_FOUND, "no web user '" + name + "'",
                "'cellar user list' shows the users; 'cellar user add NAME --role ROLE' adds one"));
    }

    public List<UserSummary> list() {
        Instant now = clock.instant();
        List<UserSummary> users = new ArrayList<>();
        try (Connection c = catalog.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM cellar.web_user ORDER BY name");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                users.add(read(rs).summary(now));
            }
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return users;
    }

    /** Sets a new password and ends the user's sessions: whoever knew the old one is logged out. */
    public void setPassword(String name, char[] password) {
        require(name);
        PasswordRule.require(name, password);
        String hash = passwords.hash(password);
        try (Connection c = catalog.getConnection()) {
            c.setAutoCommit(false);
            exec(c, "UPDATE cellar.web_user SET password_hash = ? WHERE name = ?", hash, name);
            exec(c, "DELETE FROM cellar.web_session WHERE user_name = ?", name);
            c.commit();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    /** Stores a hash made with a higher cost after a good login (the old one still matched). */
    void replaceHash(String name, String hash) {
        update(name, "UPDATE cellar.web_user SET password_hash = ? WHERE name = ?", hash);
    }

    /**
     * Changes the role; the user's sessions take it at once, and tokens whose role is now above
     * the user's are revoked (a token never outranks its user).
     */
    public UserSummary setRole(String name, Role role) {
        require(name);
        Instant now = clock.instant();
        try (Connection c = catalog.getConnection()) {
            c.setAutoCommit(false);
            try {
                exec(c, "UPDATE cellar.web_user SET role = ? WHERE name = ?", role.id(), name);
                exec(c, "UPDATE cellar.web_session SET role = ? WHERE user_name = ?", role.id(), name);
                for (Role other : Role.values()) {
                    if (!role.permissions().containsAll(other.permissions())) {
                        try (PreparedStatement s = c.prepareStatement("UPDATE cellar.web_api_token SET revoked_at = ?"
                                + " WHERE user_name = ? AND role = ? AND revoked_at IS NULL")) {
                            s.setObject(1, Sql.ts(now));
                            s.setString(2, name);
                            s.setString(3, other.id());
                            s.executeUpdate();
                        }
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return require(name).summary(now);
    }

    /** Locks the user out until {@code until} (an admin's decision, or the login's after too many failures). */
    public void lockUntil(String name, Instant until) {
        require(name);
        try (Connection c = catalog.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE cellar.web_user SET locked_until = ?, failed_attempts = 0 WHERE name = ?")) {
            s.setObject(1, Sql.ts(until));
            s.setString(2, name);
            s.executeUpdate();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    /** Lifts a lock-out and forgets the failed attempts. */
    public UserSummary unlock(String name) {
        require(name);
        update(name, "UPDATE cellar.web_user SET locked_until = NULL, failed_attempts = 0 WHERE name = ?");
        return require(name).summary(clock.instant());
    }

    /** Counts one more failed login or code; returns the count now. */
    int recordFailure(String name) {
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE cellar.web_user SET failed_attempts = failed_attempts + 1 WHERE name = ? RETURNING failed_attempts")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    void recordSuccess(String name) {
        update(name, "UPDATE cellar.web_user SET failed_attempts = 0 WHERE name = ?");
    }

    /** Forgets the second factor: the user must enrol again at the next login (a lost phone). Their sessions end. */
    public UserSummary resetSecondFactor(String name) {
        require(name);
        try (Connection c = catalog.getConnection()) {
            c.setAutoCommit(false);
            exec(c, "UPDATE cellar.web_user SET totp_secret = NULL, totp_pending_secret = NULL, totp_enrolled = false,"
                    + " totp_last_step = NULL WHERE name = ?", name);
            exec(c, "DELETE FROM cellar.web_recovery_code WHERE user_name = ?", name);
            exec(c, "DELETE FROM cellar.web_session WHERE user_name = ?", name);
            c.commit();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
        return require(name).summary(clock.instant());
    }

    /** Removes the user, their tokens, recovery codes and sessions. */
    public void remove(String name) {
        require(name);
        try (Connection c = catalog.getConnection()) {
            c.setAutoCommit(false);
            exec(c, "DELETE FROM cellar.web_session WHERE user_name = ?", name);
            exec(c, "DELETE FROM cellar.web_user WHERE name = ?", name);
            c.commit();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    /** Stores a new secret and recovery codes, both waiting for {@link #confirmEnrolment}; the current ones stay valid meanwhile. */
    void beginEnrolment(String name, String secret, List<String> recoveryCodeHashes) {
        Instant now = clock.instant();
        try (Connection c = catalog.getConnection()) {
            c.setAutoCommit(false);
            exec(c, "UPDATE cellar.web_user SET totp_pending_secret = ? WHERE name = ?", secret, name);
            exec(c, "DELETE FROM cellar.web_recovery_code WHERE user_name = ? AND pending", name);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO cellar.web_recovery_code (user_name, code_hash, created_at, pending) VALUES (?, ?, ?, true)")) {
                for (String hash : recoveryCodeHashes) {
                    s.setString(1, name);
                    s.setString(2, hash);
                    s.setObject(3, Sql.ts(now));
                    s.addBatch();
                }
                s.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    /** Makes the pending secret and recovery codes the user's, the code of {@code step} used. False when nothing was pending. */
    boolean confirmEnrolment(String name, long step) {
        try (Connection c = catalog.getConnection()) {
            c.setAutoCommit(false);
            int rows;
            try (PreparedStatement s = c.prepareStatement("UPDATE cellar.web_user SET totp_secret = totp_pending_secret,"
                    + " totp_pending_secret = NULL, totp_enrolled = true, totp_last_step = ? WHERE name = ? AND totp_pending_secret IS NOT NULL")) {
                s.setLong(1, step);
                s.setString(2, name);
                rows = s.executeUpdate();
            }
            if (rows == 1) {
                exec(c, "DELETE FROM cellar.web_recovery_code WHERE user_name = ? AND NOT pending", name);
                exec(c, "UPDATE cellar.web_recovery_code SET pending = false WHERE user_name = ?", name);
            }
            c.commit();
            return rows == 1;
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    /** Marks the code of {@code step} used; false when it or a later one was used already (a replayed code). */
    boolean acceptTotpStep(String name, long step) {
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE cellar.web_user"
                + " SET totp_last_step = ? WHERE name = ? AND (totp_last_step IS NULL OR totp_last_step < ?)")) {
            s.setLong(1, step);
            s.setString(2, name);
            s.setLong(3, step);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    /** Uses up the recovery code with this hash; false when it is not the user's or was used already. */
    boolean useRecoveryCode(String name, String codeHash) {
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE cellar.web_recovery_code"
                + " SET used_at = ? WHERE user_name = ? AND code_hash = ? AND used_at IS NULL AND NOT pending")) {
            s.setObject(1, Sql.ts(clock.instant()));
            s.setString(2, name);
            s.setString(3, codeHash);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    public int recoveryCodesLeft(String name) {
        try (Connection c = catalog.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM cellar.web_recovery_code WHERE user_name = ? AND used_at IS NULL AND NOT pending")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "'" + name + "' is not a valid user name",
                    "use 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
    }

    private void update(String name, String sql, String... values) {
        try (Connection c = catalog.getConnection()) {
            String[] all = Arrays.copyOf(values, values.length + 1);
            all[values.length] = name;
            exec(c, sql, all);
        } catch (SQLException e) {
            throw Sql.unusable(e);
        }
    }

    private static int exec(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            return s.executeUpdate();
        }
    }

    private static WebUser read(ResultSet rs) throws SQLException {
        long step = rs.getLong("totp_last_step");
        Long lastStep = rs.wasNull() ? null : step;
        return new WebUser(rs.getString("name"), Role.of(rs.getString("role")), rs.getString("password_hash"),
                rs.getString("totp_secret"), rs.getString("totp_pending_secret"), rs.getBoolean("totp_enrolled"), lastStep,
                rs.getInt("failed_attempts"), Sql.instant(rs, "locked_until"), Sql.instant(rs, "created_at"), rs.getBoolean("disabled"));
    }
}
