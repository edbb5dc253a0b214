package dev.cellar.server.run;

import java.time.Duration;

/**
 * When a run whose node stopped answering is tried again. A node is taken for gone when its run's
 * heartbeat is older than {@code lease} in the catalog database's clock (never a node's own clock:
 * nodes may disagree); the run is then marked interrupted and retried by the node that noticed,
 * until {@code maxAttempts} attempts of that slot were made. A job that failed on its own is not
 * retried: its error stands and is alerted, and the next slot runs as scheduled.
 */
public record RetryPolicy(Duration lease, int maxAttempts) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(60), 2);

    public RetryPolicy {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }
}
