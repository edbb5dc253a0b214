package dev.cellar.server.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;

/**
 * The daylight-saving rule: which instants a local wall-clock time stands for on a given day.
 * <ul>
 * <li>A time that does not exist (spring forward) runs once, at the first valid instant after
 * it: the transition itself (02:30 in New York on 2027-03-14 runs at 03:00 EDT).
 * {@code ZonedDateTime.of} would shift it by the gap's length (03:30), which is not the first
 * valid instant, so it is not used.</li>
 * <li>A time that occurs twice (fall back) runs once, at its first occurrence, unless the
 * schedule fires by elapsed time (hourly), which runs both: they are an hour of real time apart.</li>
 * </ul>
 */
public final class LocalTimeRule {
    private LocalTimeRule() {
    }

    /** The instants {@code local} runs at in {@code zone}: one, or two for elapsed-time schedules in an overlap. */
    public static List<Instant> instantsOf(LocalDateTime local, ZoneId zone, boolean everyOccurrence) {
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = zone.getRules().getTransition(local);
            return List.of(gap.getInstant());
        }
        if (offsets.size() == 1) {
            return List.of(local.toInstant(offsets.get(0)));
        }
        Instant first = local.atZone(zone).withEarlierOffsetAtOverlap().toInstant();
        Instant second = local.atZone(zone).withLaterOffsetAtOverlap().toInstant();
        return everyOccurrence ? List.of(first, second) : List.of(first);
    }

    /** The one instant a wall-clock job at {@code local} runs at (the first occurrence, or the gap's end). */
    public static Instant instantOf(LocalDateTime local, ZoneId zone) {
        return instantsOf(local, zone, false).get(0);
    }
}
