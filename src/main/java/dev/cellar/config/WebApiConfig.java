package dev.cellar.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The REST API's own settings: which databases need a second person's approval before a
 * destructive operation on them runs, and how long a request waits for that approval.
 *
 * @param approvalExpiry    how long an operation stays awaiting approval before it expires
 * @param fourEyesDatabases short names of the databases (their {@code databases:} entry, or the
 *                          {@code database.*} settings' database) configured with {@code four-eyes: true}
 */
public record WebApiConfig(Duration approvalExpiry, Set<String> fourEyesDatabases) {
    /** An hour: long enough to reach a colleague at night, short enough that a stale request cannot be approved by surprise. */
    public static final int DEFAULT_APPROVAL_EXPIRY_MINUTES = 60;

    public WebApiConfig {
        Objects.requireNonNull(approvalExpiry, "approvalExpiry");
        fourEyesDatabases = Set.copyOf(fourEyesDatabases);
    }

    /** Whether any configured database needs four-eyes approval (then so do operations on the whole repository). */
    public boolean anyFourEyes() {
        return !fourEyesDatabases.isEmpty();
    }
}
