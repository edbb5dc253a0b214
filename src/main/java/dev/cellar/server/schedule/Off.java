package dev.cellar.server.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** {@code off}: a job that is configured but never runs (e.g. verification done elsewhere). */
public record Off(ZoneId zone) implements Schedule {
    @Override
    public String expression() {
        return "off";
    }

    @Override
    public Optional<Instant> next(Instant after) {
        return Optional.empty();
    }

    @Override
    public Slots slotsBetween(Instant afterExclusive, Instant untilInclusive) {
        return Slots.NONE;
    }
}
