package dev.cellar.web.auth;

import java.time.Instant;

/**
 * A web user without its secrets, as {@code cellar user list} and {@code GET /api/users} show it.
 *
 * @param lockedUntil null unless the user is locked out now
 */
public record UserSummary(String user, String role, boolean secondFactorEnrolled, int failedAttempts, Instant lockedUntil,
        Instant created, boolean disabled) {
}
