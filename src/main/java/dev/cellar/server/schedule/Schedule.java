package dev.cellar.server.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a job runs: a parsed schedule expression in its time zone. Every method is a pure function
 * of its arguments, so the daemon passes its (injected) clock's instant and tests pass any instant.
 * The daylight-saving rule lives in {@link LocalTimeRule}; docs/scheduling.md states it.
 */
public sealed interface Schedule permits Off, Interval, WallClockSchedule {
    /** How long after its slot a run still counts as on time; later ones are marked late. */
    Duration ON_TIME_GRACE = Duration.ofMinutes(1);

    /** The expression as the DBA wrote it, normalised ({@code daily 02:00}, {@code 0 7-23 * * *}). */
    String expression();

    ZoneId zone();

    /** The first slot strictly after {@code after}; empty when the schedule never fires ({@code off}). */
    Optional<Instant> next(Instant after);

    /** The slots in {@code (afterExclusive, untilInclusive]}: how many, and the newest. */
    Slots slotsBetween(Instant afterExclusive, Instant untilInclusive);

    /**
     * The one run to make now, if any slot came after the last one handled: the newest slot, never
     * one per missed slot. A catch-up after downtime thus runs once, marked late, saying how many
     * older slots it stands for.
     *
     * @param lastHandled the newest slot already run, skipped or otherwise dealt with (the daemon
     *                    records it); on a first start, the instant the schedule was first seen
     */
    default Optional<DueRun> dueSince(Instant lastHandled, Instant now) {
        return dueSince(lastHandled, now, ON_TIME_GRACE);
    }

    /** As {@link #dueSince(Instant, Instant)}, with the grace after which a run counts as late. */
    default Optional<DueRun> dueSince(Instant lastHandled, Instant now, Duration onTimeGrace) {
        Slots slots = slotsBetween(lastHandled, now);
        return slots.newest().map(newest -> DueRun.of(newest, slots.count(), now, onTimeGrace));
    }

    /** The next {@code count} slots after {@code after}, fewer when the schedule stops firing. */
    default List<Instant> upcoming(Instant after, int count) {
        List<Instant> runs = new ArrayList<>();
        Instant from = after;
        while (runs.size() < count) {
            Optional<Instant> next = next(from);
            if (next.isEmpty()) {
                break;
            }
            runs.add(next.get());
            from = next.get();
        }
        return runs;
    }

    /** How many slots fell in a span, and the newest of them. */
    record Slots(long count, Optional<Instant> newest) {
        static final Slots NONE = new Slots(0, Optional.empty());
    }
}
