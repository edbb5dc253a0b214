package dev.cellar.storage.s3;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one request may take and how long to wait between attempts. The defaults suit a real
 * object store over the internet; tests shrink them so that a fault costs milliseconds.
 *
 * @param connect     establishing a TCP (and TLS) connection
 * @param socketRead  silence on an open connection before the attempt is abandoned
 * @param attempt     one whole attempt, request and response body included
 * @param backoffBase first delay between attempts; it doubles per attempt, with full jitter
 * @param backoffMax  longest delay between attempts
 */
public record S3Timeouts(Duration connect, Duration socketRead, Duration attempt, Duration backoffBase, Duration backoffMax) {

    /** A 16 MiB WAL object at 1 MB/s still fits in one attempt. */
    public static final S3Timeouts DEFAULT = new S3Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofMinutes(2), Duration.ofMillis(200), Duration.ofSeconds(20));

    public S3Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(socketRead, "socketRead");
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffMax, "backoffMax");
    }
}
