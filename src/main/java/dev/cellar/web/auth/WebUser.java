package dev.cellar.web.auth;

import java.time.Instant;

/**
 * A web user as the catalog holds it, secrets included: only the stores and the login see this;
 * lists and answers use {@link UserSummary}.
 */
public record WebUser(String name, Role role, String passwordHash, String totpSecret, String totpPendingSecret,
        boolean secondFactorEnrolled, Long totpLastStep, int failedAttempts, Instant lockedUntil, Instant created, boolean disabled) {

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    public UserSummary summary(Instant now) {
        return new UserSummary(name, role.id(), secondFactorEnrolled, failedAttempts, lockedAt(now) ? lockedUntil : null, created, disabled);
    }

    @Override
    public String toString() {
        return "WebUser[" + name + ", " + role.id() + "]";
    }
}
