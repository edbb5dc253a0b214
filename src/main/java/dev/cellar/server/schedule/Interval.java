package dev.cellar.server.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * {@code every 15m}: slots a fixed elapsed time apart, aligned to the Unix epoch, so they do not
 * move with restarts and ignore daylight-saving changes (a quarter-hour is a quarter-hour).
 */
public record Interval(Duration every, ZoneId zone) implements Schedule {

    public Interval {
        if (every.isNegative() || every.isZero() || every.getNano() != 0 || every.getSeconds() % 60 != 0) {
            throw new IllegalArgumentException("an interval is a positive whole number of minutes, got " + every);
        }
    }

    @Override
    public String expression() {
        long minutes = every.toMinutes();
        return minutes % 60 == 0 ? "every " + minutes / 60 + "h" : "every " + minutes + "m";
    }

    @Override
    public Optional<Instant> next(Instant after) {
        long step = every.getSeconds();
        return Optional.of(Instant.ofEpochSecond((Math.floorDiv(after.getEpochSecond(), step) + 1) * step));
    }

    @Override
    public Slots slotsBetween(Instant afterExclusive, Instant untilInclusive) {
        long step = every.getSeconds();
        long first = Math.floorDiv(afterExclusive.getEpochSecond(), step);
        long last = Math.floorDiv(untilInclusive.getEpochSecond(), step);
        if (last <= first) {
            return Slots.NONE;
        }
        return new Slots(last - first, Optional.of(Instant.ofEpochSecond(last * step)));
    }
}
