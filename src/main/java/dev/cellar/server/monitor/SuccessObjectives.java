package dev.cellar.server.monitor;

import dev.cellar.server.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How long a job may go without a success: the widest gap between its slots in the coming week
 * and a day, plus an hour of slack, the seed's own margin (a daily job: 25 h, its CRITICAL).
 * Pure, so the metric and its rule can be checked against a schedule without a clock.
 */
public final class SuccessObjectives {
    static final Duration SLACK = Duration.ofHours(1);
    static final Duration LOOK_AHEAD = Duration.ofDays(8);
    /** Enough for a job every 15 minutes over the look-ahead; a finer schedule's widest gap shows well before. */
    static final int MAX_SLOTS = 1000;

    private SuccessObjectives() {
    }

    public static Optional<Duration> of(Schedule schedule, Instant from) {
        List<Instant> slots = schedule.upcoming(from, MAX_SLOTS).stream().filter(s -> s.isBefore(from.plus(LOOK_AHEAD))).toList();
        if (slots.size() < 2) {
            return Optional.empty();
        }
        Duration widest = Duration.ZERO;
        for (int i = 1; i < slots.size(); i++) {
            Duration gap = Duration.between(slots.get(i - 1), slots.get(i));
            if (gap.compareTo(widest) > 0) {
                widest = gap;
            }
        }
        return Optional.of(widest.plus(SLACK));
    }
}
