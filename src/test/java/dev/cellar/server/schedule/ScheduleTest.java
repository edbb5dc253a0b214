package dev.cellar.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Next runs and catch-up of every kind of schedule, as pure functions of instants. */
class ScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    @Test
    void dailyNextIsStrictlyAfter() {
        Schedule daily = ScheduleParser.parse("daily 02:00", BERLIN);
        assertThat(daily.next(at("2027-06-01T00:00:00Z"))).contains(at("2027-06-02T00:00:00Z"));
        assertThat(daily.next(at("2027-05-31T23:59:59Z"))).contains(at("2027-06-01T00:00:00Z"));
    }

    @Test
    void catchUpAfterTwoDaysDownRunsTheNewestMissedSlotOnceMarkedLate() {
        Schedule daily = ScheduleParser.parse("daily 02:00", BERLIN);
        Instant lastHandled = at("2027-06-01T00:00:00Z");
        Optional<DueRun> due = daily.dueSince(lastHandled, at("2027-06-03T09:00:00Z"));
        assertThat(due).isPresent();
        assertThat(due.get().scheduled()).isEqualTo(at("2027-06-03T00:00:00Z"));
        assertThat(due.get().slotsDropped()).isEqualTo(1);
        assertThat(due.get().late()).isTrue();
        assertThat(due.get().lateBy()).isEqualTo(Duration.ofHours(9));
        // once handled, nothing more is due until the next slot
        assertThat(daily.dueSince(due.get().scheduled(), at("2027-06-03T09:01:00Z"))).isEmpty();
    }

    @Test
    void aSlotReachedWithinTheGraceIsOnTimeAndOneMissedSlotAloneIsLate() {
        Schedule daily = ScheduleParser.parse("daily 02:00", BERLIN);
        DueRun onTime = daily.dueSince(at("2027-06-01T00:00:00Z"), at("2027-06-02T00:00:30Z")).orElseThrow();
        assertThat(onTime.late()).isFalse();
        assertThat(onTime.slotsDropped()).isZero();
        DueRun late = daily.dueSince(at("2027-06-01T00:00:00Z"), at("2027-06-02T05:00:00Z")).orElseThrow();
        assertThat(late.late()).isTrue();
        assertThat(late.slotsDropped()).isZero();
    }

    @Test
    void hourlyWindowFiresOnTheHourInsideItOnly() {
        Schedule hourly = ScheduleParser.parse("hourly 07:00-23:00", BERLIN);
        List<Instant> runs = hourly.upcoming(at("2027-06-01T20:30:00Z"), 3);
        // 22:30 CEST: 23:00 is the last of the day, then 07:00
        assertThat(runs).containsExactly(at("2027-06-01T21:00:00Z"), at("2027-06-02T05:00:00Z"), at("2027-06-02T06:00:00Z"));
        assertThat(hourly.slotsBetween(at("2027-06-01T22:00:00Z"), at("2027-06-02T22:00:00Z")).count()).isEqualTo(17);
    }

    @Test
    void hourlyFiresByElapsedTimeAcrossTheChanges() {
        Schedule hourly = ScheduleParser.parse("hourly", NEW_YORK);
        // fall back: 01:00 occurs twice, an hour of real time apart, and both run
        assertThat(hourly.upcoming(at("2027-11-07T04:30:00Z"), 4))
                .containsExactly(at("2027-11-07T05:00:00Z"), at("2027-11-07T06:00:00Z"), at("2027-11-07T07:00:00Z"), at("2027-11-07T08:00:00Z"));
        // spring forward: 02:00 does not exist; 01:00 EST then 03:00 EDT, one real hour apart
        assertThat(hourly.upcoming(at("2027-03-14T05:30:00Z"), 3))
                .containsExactly(at("2027-03-14T06:00:00Z"), at("2027-03-14T07:00:00Z"), at("2027-03-14T08:00:00Z"));
        // the local days of the changes have 25 and 23 hours, and as many runs
        assertThat(hourly.slotsBetween(at("2027-11-07T04:00:00Z"), at("2027-11-08T05:00:00Z")).count()).isEqualTo(25);
        assertThat(hourly.slotsBetween(at("2027-03-14T05:00:00Z"), at("2027-03-15T04:00:00Z")).count()).isEqualTo(23);
    }

    @Test
    void intervalIsEpochAlignedAndCountsMissedSlots() {
        Schedule every = ScheduleParser.parse("every 15m", BERLIN);
        assertThat(every.next(at("2027-06-01T10:07:00Z"))).contains(at("2027-06-01T10:15:00Z"));
        assertThat(every.next(at("2027-06-01T10:15:00Z"))).contains(at("2027-06-01T10:30:00Z"));
        DueRun due = every.dueSince(at("2027-06-01T10:00:00Z"), at("2027-06-01T11:05:00Z")).orElseThrow();
        assertThat(due.scheduled()).isEqualTo(at("2027-06-01T11:00:00Z"));
        assertThat(due.slotsDropped()).isEqualTo(3);
        assertThat(due.late()).isTrue();
        // across the autumn change a quarter-hour stays a quarter-hour
        assertThat(every.slotsBetween(at("2027-10-30T22:00:00Z"), at("2027-10-31T22:00:00Z")).count()).isEqualTo(96);
    }

    @Test
    void weeklyRunsOnItsDay() {
        Schedule weekly = ScheduleParser.parse("weekly mon 03:00", BERLIN);
        // 2027-06-01 is a Tuesday
        assertThat(weekly.upcoming(at("2027-06-01T00:00:00Z"), 2)).containsExactly(at("2027-06-07T01:00:00Z"), at("2027-06-14T01:00:00Z"));
    }

    @Test
    void monthlyRunsOnTheLastDayOfAMonthThatLacksTheDay() {
        Schedule monthly = ScheduleParser.parse("monthly 31 04:00", ZoneId.of("UTC"));
        assertThat(monthly.upcoming(at("2027-01-31T05:00:00Z"), 4)).containsExactly(
                at("2027-02-28T04:00:00Z"), at("2027-03-31T04:00:00Z"), at("2027-04-30T04:00:00Z"), at("2027-05-31T04:00:00Z"));
        assertThat(ScheduleParser.parse("monthly 29 04:00", ZoneId.of("UTC")).next(at("2028-02-01T00:00:00Z")))
                .contains(at("2028-02-29T04:00:00Z"));
    }

    @Test
    void cronAtAFixedHourFollowsTheDaylightSavingRuleAndAWildcardHourElapsedTime() {
        Schedule fixed = ScheduleParser.parse("30 2 * * *", NEW_YORK);
        assertThat(fixed.next(at("2027-03-14T00:00:00Z"))).contains(at("2027-03-14T07:00:00Z"));
        Schedule fixedFallBack = ScheduleParser.parse("30 1 * * *", NEW_YORK);
        assertThat(fixedFallBack.slotsBetween(at("2027-11-07T04:00:00Z"), at("2027-11-08T04:00:00Z")).count()).isEqualTo(1);
        Schedule everyQuarter = ScheduleParser.parse("*/15 * * * *", NEW_YORK);
        assertThat(everyQuarter.slotsBetween(at("2027-11-07T04:00:00Z"), at("2027-11-08T05:00:00Z")).count()).isEqualTo(25 * 4);
        // two slots inside the spring gap merge into the one transition instant
        Schedule twoInGap = ScheduleParser.parse("0,30 2 * * *", NEW_YORK);
        assertThat(twoInGap.slotsBetween(at("2027-03-14T05:00:00Z"), at("2027-03-15T05:00:00Z")).count()).isEqualTo(1);
    }

    @Test
    void cronDayFieldsBothRestrictedMatchEitherAsVixieCronDoes() {
        // the 1st of the month or any Monday, 2027-06: Tue 1st, Mon 7th
        Schedule cron = ScheduleParser.parse("0 4 1 * mon", ZoneId.of("UTC"));
        assertThat(cron.upcoming(at("2027-05-31T12:00:00Z"), 2)).containsExactly(at("2027-06-01T04:00:00Z"), at("2027-06-07T04:00:00Z"));
    }

    @Test
    void offNeverRunsAndIsNeverDue() {
        Schedule off = ScheduleParser.parse("off", BERLIN);
        assertThat(off.next(at("2027-06-01T00:00:00Z"))).isEmpty();
        assertThat(off.dueSince(at("2020-01-01T00:00:00Z"), at("2027-06-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void overlapPolicySkipsASlotWhileTheJobRunsAndTimesOutLongRuns() {
        Schedule daily = ScheduleParser.parse("daily 02:00", BERLIN);
        ScheduledJob job = new ScheduledJob("full:x", "backup-full", null, daily, Duration.ofMinutes(360));
        assertThat(OverlapPolicy.decide(Optional.of(at("2027-06-01T00:00:00Z")))).isEqualTo(OverlapPolicy.Decision.SKIP_STILL_RUNNING);
        assertThat(OverlapPolicy.decide(Optional.empty())).isEqualTo(OverlapPolicy.Decision.RUN);
        assertThat(OverlapPolicy.timedOut(job, at("2027-06-01T00:00:00Z"), at("2027-06-01T06:00:00Z"))).isFalse();
        assertThat(OverlapPolicy.timedOut(job, at("2027-06-01T00:00:00Z"), at("2027-06-01T06:00:01Z"))).isTrue();
    }
}
