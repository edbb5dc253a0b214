package dev.cellar.server.alert;

import java.time.Duration;

/**
 * How long a notification waits after a failed attempt: doubling from {@code first}, never more
 * than {@code cap}, so a channel down for an hour is tried again within {@code cap} of its return.
 */
public record RetryBackoff(Duration first, Duration cap) {
    public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofSeconds(30), Duration.ofMinutes(10));

    /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
    public Duration after(int attempts) {
        int doublings = Math.max(0, attempts - 1);
        if (doublings >= 30) {
            return cap;
        }
        Duration wait = first.multipliedBy(1L << doublings);
        return wait.compareTo(cap) > 0 ? cap : wait;
    }
}
