package dev.cellar.server.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A schedule of local wall-clock times (daily, hourly, weekly, monthly, cron) in one time zone,
 * turned into instants day by day through {@link LocalTimeRule}.
 */
public record WallClockSchedule(DayPattern pattern, ZoneId zone) implements Schedule {
    /** Far enough to find the next slot of any satisfiable pattern (Feb 29 on a given weekday comes within 28 years). */
    private static final int SEARCH_DAYS = 366 * 29;

    @Override
    public String expression() {
        return pattern.expression();
    }

    @Override
    public Optional<Instant> next(Instant after) {
        LocalDate date = after.atZone(zone).toLocalDate().minusDays(1);
        for (int day = 0; day < SEARCH_DAYS; day++, date = date.plusDays(1)) {
            Instant found = slotsOn(date).higher(after);
            if (found != null) {
                // the next day's first slot can only precede it across a zone's day-skipping change; look once more
                Instant nextDay = slotsOn(date.plusDays(1)).higher(after);
                return Optional.of(nextDay != null && nextDay.isBefore(found) ? nextDay : found);
            }
        }
        return Optional.empty();
    }

    @Override
    public Slots slotsBetween(Instant afterExclusive, Instant untilInclusive) {
        if (!untilInclusive.isAfter(afterExclusive)) {
            return Slots.NONE;
        }
        LocalDate last = untilInclusive.atZone(zone).toLocalDate().plusDays(1);
        TreeSet<Instant> seen = new TreeSet<>();
        long count = 0;
        Instant newest = null;
        for (LocalDate date = afterExclusive.atZone(zone).toLocalDate().minusDays(1); !date.isAfter(last); date = date.plusDays(1)) {
            for (Instant slot : slotsOn(date)) {
                if (slot.isAfter(afterExclusive) && !slot.isAfter(untilInclusive) && seen.add(slot)) {
                    count++;
                    newest = newest == null || slot.isAfter(newest) ? slot : newest;
                }
            }
            // keep memory flat over long outages: only neighbouring days can repeat an instant
            if (seen.size() > 4096) {
                seen.headSet(seen.last().minusSeconds(3 * 86_400)).clear();
            }
        }
        return new Slots(count, Optional.ofNullable(newest));
    }

    /** The instants {@code date}'s local times run at, ascending, repeats (times inside one gap) merged. */
    TreeSet<Instant> slotsOn(LocalDate date) {
        TreeSet<Instant> slots = new TreeSet<>();
        List<LocalTime> times = pattern.timesOn(date);
        for (LocalTime time : times) {
            slots.addAll(LocalTimeRule.instantsOf(date.atTime(time), zone, pattern.everyOccurrence()));
        }
        return slots;
    }
}
