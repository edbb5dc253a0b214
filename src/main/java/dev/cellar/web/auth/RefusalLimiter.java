package dev.cellar.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a flood of refused requests from filling the repository's audit trail: per caller (the
 * user and source address) the first {@code perMinute} refusals of a minute are recorded one by
 * one, the rest of that minute are counted, and the count is recorded once with the next refusal
 * after the minute.
 */
final class RefusalLimiter {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int PRUNE_ABOVE = 10_000;

    private final Clock clock;
    private final int perMinute;
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        Instant start;
        int recorded;
        int suppressed;
    }

    /** What to write for one refusal: the refusal itself or not, and before it a summary of the ones left out. */
    record Decision(boolean recordThis, Optional<String> summaryOfSuppressed) {
    }

    RefusalLimiter(Clock clock, int perMinute) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.perMinute = perMinute;
    }

    synchronized Decision refused(String caller) {
        Instant now = clock.instant();
        Window window = windows.computeIfAbsent(caller, k -> new Window());
        Optional<String> summary = Optional.empty();
        if (window.start == null || !window.start.plus(WINDOW).isAfter(now)) {
            if (window.suppressed > 0) {
                summary = Optional.of(window.suppressed + " more refusals of " + caller + " between " + window.start + " and "
                        + window.start.plus(WINDOW) + " were not recorded one by one");
            }
            window.start = now;
            window.recorded = 0;
            window.suppressed = 0;
        }
        if (window.recorded < perMinute) {
            window.recorded++;
            prune(now);
            return new Decision(true, summary);
        }
        window.suppressed++;
        return new Decision(false, summary);
    }

    private void prune(Instant now) {
        if (windows.size() > PRUNE_ABOVE) {
            windows.values().removeIf(w -> w.suppressed == 0 && !w.start.plus(WINDOW).isAfter(now));
        }
    }
}
