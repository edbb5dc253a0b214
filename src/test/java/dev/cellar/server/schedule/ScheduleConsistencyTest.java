package dev.cellar.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code next}, {@code slotsBetween} and {@code dueSince} agree with each other for many
 * schedules, zones with odd changes (half-hour DST, a change at midnight, no DST) and seeded
 * random instants: no slot is ever hidden between an instant and its next run, and a catch-up
 * always picks the newest slot.
 */
class ScheduleConsistencyTest {
    private static final List<String> EXPRESSIONS = List.of("daily 00:00", "daily 02:30", "daily 01:59", "hourly",
            "hourly 22:30-03:30", "every 15m", "every 7m", "every 24h", "weekly sun 02:00", "monthly 31 00:30",
            "30 2 * * *", "*/20 * * * *", "0 0 1,15 * mon", "15 1-3 * * sat,sun");
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"),
            ZoneId.of("Australia/Lord_Howe"), ZoneId.of("America/Sao_Paulo"), ZoneId.of("Asia/Kolkata"), ZoneId.of("UTC"));
    /** 2017-2019: years in which Sao Paulo still changed clocks at midnight. */
    private static final long FROM = Instant.parse("2017-01-01T00:00:00Z").getEpochSecond();
    private static final long SPAN = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond() - FROM;

    @Test
    void nextIsTheOnlySlotUpToItselfAndCatchUpTakesTheNewest() {
        Random random = new Random(20271107L);
        for (String expression : EXPRESSIONS) {
            for (ZoneId zone : ZONES) {
                Schedule schedule = ScheduleParser.parse(expression, zone);
                for (int i = 0; i < 40; i++) {
                    Instant after = Instant.ofEpochSecond(FROM + (long) (random.nextDouble() * SPAN));
                    Instant next = schedule.next(after).orElseThrow();
                    String what = expression + " in " + zone + " after " + after;
                    assertThat(next).as(what).isAfter(after);
                    Schedule.Slots upToNext = schedule.slotsBetween(after, next);
                    assertThat(upToNext.count()).as(what).isEqualTo(1);
                    assertThat(upToNext.newest()).as(what).contains(next);
                    assertThat(schedule.slotsBetween(after, next.minusSeconds(1)).count()).as(what).isZero();

                    Instant later = next.plusSeconds((long) (random.nextDouble() * 3 * 86_400));
                    List<Instant> slots = new java.util.ArrayList<>();
                    for (Instant slot = next; !slot.isAfter(later); slot = schedule.next(slot).orElseThrow()) {
                        slots.add(slot);
                    }
                    Optional<DueRun> due = schedule.dueSince(after, later);
                    assertThat(due).as(what).isPresent();
                    assertThat(due.get().scheduled()).as(what).isEqualTo(slots.get(slots.size() - 1));
                    assertThat(due.get().slotsDropped()).as(what).isEqualTo(slots.size() - 1);
                }
            }
        }
    }
}
