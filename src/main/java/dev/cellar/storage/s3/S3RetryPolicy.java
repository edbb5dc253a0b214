package dev.cellar.storage.s3;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Retries of transient failures: the SDK's standard strategy (5xx, throttling such as 503
 * SlowDown, connection resets, timeouts) with exponential backoff and full jitter, and the same
 * schedule for the checks Cellar makes itself on what a request returned (a short body, a
 * damaged upload). The SDK's retry circuit breaker is off: a backup of thousands of objects must
 * not stop retrying because an earlier object needed retries.
 */
final class S3RetryPolicy {
    private final int maxAttempts;
    private final Duration base;
    private final Duration max;

    S3RetryPolicy(int maxAttempts, S3Timeouts timeouts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.base = timeouts.backoffBase();
        this.max = timeouts.backoffMax();
    }

    int maxAttempts() {
        return maxAttempts;
    }

    RetryStrategy sdkStrategy() {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(base, max);
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(base.multipliedBy(5), max))
                .circuitBreakerEnabled(false)
                .build();
    }

    /** Sleeps before attempt {@code nextAttempt} (2, 3, ...) of a check-and-retry loop of Cellar's own. */
    void pauseBefore(int nextAttempt) {
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(nextAttempt - 2, 20));
        long millis = ThreadLocalRandom.current().nextLong(ceiling + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.cellar.error.CellarException(dev.cellar.error.ErrorCode.INTERRUPTED, "interrupted while waiting to retry a request");
        }
    }
}
