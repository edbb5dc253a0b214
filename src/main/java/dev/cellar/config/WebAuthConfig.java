package dev.cellar.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the dashboard and the REST API authenticate (docs/web-security.md): how recent a second
 * factor a destructive action needs, how long sessions live, and how logins are throttled.
 */
public record WebAuthConfig(Duration secondFactorFresh, Duration sessionIdle, Duration sessionMax, int loginAttemptsPerMinute,
        int lockoutAfterFailures, Duration lockout) {
    /** Long enough to fill in a restore form after giving the code, short enough that an unattended screen is not a weapon. */
    public static final int DEFAULT_SECOND_FACTOR_FRESH_MINUTES = 5;
    public static final int DEFAULT_SESSION_IDLE_MINUTES = 30;
    /** A working day and a half: one login per on-call shift. */
    public static final int DEFAULT_SESSION_MAX_HOURS = 12;
    /** A person mistyping never comes near it; a script guessing passwords does within a second. */
    public static final int DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE = 10;
    public static final int DEFAULT_LOCKOUT_AFTER_FAILURES = 5;
    public static final int DEFAULT_LOCKOUT_MINUTES = 15;

    public static final WebAuthConfig DEFAULTS = new WebAuthConfig(Duration.ofMinutes(DEFAULT_SECOND_FACTOR_FRESH_MINUTES),
            Duration.ofMinutes(DEFAULT_SESSION_IDLE_MINUTES), Duration.ofHours(DEFAULT_SESSION_MAX_HOURS),
            DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE, DEFAULT_LOCKOUT_AFTER_FAILURES, Duration.ofMinutes(DEFAULT_LOCKOUT_MINUTES));

    public WebAuthConfig {
        Objects.requireNonNull(secondFactorFresh, "secondFactorFresh");
        Objects.requireNonNull(sessionIdle, "sessionIdle");
        Objects.requireNonNull(sessionMax, "sessionMax");
        Objects.requireNonNull(lockout, "lockout");
    }
}
