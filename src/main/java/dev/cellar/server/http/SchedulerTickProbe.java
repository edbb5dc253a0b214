package dev.cellar.server.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Healthy while the scheduler has looked for due jobs within the allowed age: a scheduler thread
 * that died or hangs leaves the process up and every backup unrun, which only this check sees.
 */
public final class SchedulerTickProbe implements HealthProbe {
    static final String NAME = "scheduler";

    private final Supplier<Optional<Instant>> lastTick;
    private final Clock clock;
    private final Duration maxAge;

    /**
     * @param lastTick when the scheduler last looked for due jobs; empty before its first look
     * @param maxAge   the longest gap between two looks that is still healthy
     */
    public SchedulerTickProbe(Supplier<Optional<Instant>> lastTick, Clock clock, Duration maxAge) {
        this.lastTick = Objects.requireNonNull(lastTick, "lastTick");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    @Override
    public HealthCheck check() {
        Optional<Instant> tick = lastTick.get();
        if (tick.isEmpty()) {
            return new HealthCheck(NAME, false, "the scheduler has not looked for due jobs yet");
        }
        long ageSeconds = Math.max(0, Duration.between(tick.get(), clock.instant()).toSeconds());
        if (ageSeconds > maxAge.toSeconds()) {
            return new HealthCheck(NAME, false, "the scheduler last looked for due jobs " + ageSeconds + " s ago (at " + tick.get()
                    + "), more than the " + maxAge.toSeconds() + " s allowed: it is stuck or dead; restart cellar server");
        }
        return new HealthCheck(NAME, true, "last looked for due jobs " + ageSeconds + " s ago");
    }
}
