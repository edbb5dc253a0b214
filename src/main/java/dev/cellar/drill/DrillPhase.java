package dev.cellar.drill;

import java.time.Duration;
import java.time.Instant;

/**
 * One timed step of a drill, for the report's timeline.
 *
 * @param copy     which restored copy it belongs to ("logical", "physical at restore point", "physical latest"), or "source"
 * @param name     the phase: markers, heartbeat, restore files, WAL replay, checks, clean-up
 */
public record DrillPhase(String copy, String name, Instant start, Duration duration) {
    public Instant end() {
        return start.plus(duration);
    }
}
