package dev.cellar.wal;

import java.time.Duration;

/**
 * How long the streamer waits before it restarts pg_receivewal: doubling from {@code min} up to
 * {@code max} while runs keep failing quickly, back to {@code min} after a run that streamed for
 * {@code healthyRun} or longer (a single dropped connection is retried at once).
 */
public final class ReconnectBackoff {
    private final Duration min;
    private final Duration max;
    private final Duration healthyRun;
    private Duration last;

    public ReconnectBackoff(Duration min, Duration max, Duration healthyRun) {
        this.min = min;
        this.max = max;
        this.healthyRun = healthyRun;
    }

    /** The wait before the next start, given how long the run that just ended lasted. */
    public Duration next(Duration runLength) {
        if (last == null || runLength.compareTo(healthyRun) >= 0) {
            last = min;
        } else {
            Duration doubled = last.multipliedBy(2);
            last = doubled.compareTo(max) > 0 ? max : doubled;
        }
        return last;
    }
}
