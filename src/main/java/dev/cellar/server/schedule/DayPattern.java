package dev.cellar.server.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which local wall-clock times a calendar schedule fires at on a given date. The translation to
 * instants (and so daylight saving) is {@link LocalTimeRule}'s job, not the pattern's.
 */
public sealed interface DayPattern {

    /** The local times of {@code date}, ascending, without repeats. */
    List<LocalTime> timesOn(LocalDate date);

    /** Whether a time that occurs twice (fall back) fires at both occurrences: true for hourly schedules. */
    boolean everyOccurrence();

    /** The text the parser reads back into the same pattern. */
    String expression();

    /** {@code daily 02:00}. */
    record Daily(LocalTime time) implements DayPattern {
        @Override
        public List<LocalTime> timesOn(LocalDate date) {
            return List.of(time);
        }

        @Override
        public boolean everyOccurrence() {
            return false;
        }

        @Override
        public String expression() {
            return "daily " + time;
        }
    }

    /**
     * {@code hourly 07:00-23:00}: every hour from the first to the last time inclusive, at the
     * minute both share; a window whose end is before its start runs across midnight.
     */
    record Hourly(LocalTime from, LocalTime to) implements DayPattern {
        public Hourly {
            if (from.getMinute() != to.getMinute()) {
                throw new IllegalArgumentException("both ends of an hourly window fall on the same minute of the hour");
            }
        }

        @Override
        public List<LocalTime> timesOn(LocalDate date) {
            List<LocalTime> times = new ArrayList<>();
            for (int hour = 0; hour < 24; hour++) {
                boolean inside = from.getHour() <= to.getHour()
                        ? hour >= from.getHour() && hour <= to.getHour()
                        : hour >= from.getHour() || hour <= to.getHour();
                if (inside) {
                    times.add(LocalTime.of(hour, from.getMinute()));
                }
            }
            return times;
        }

        @Override
        public boolean everyOccurrence() {
            return true;
        }

        @Override
        public String expression() {
            return "hourly " + from + "-" + to;
        }
    }

    /** {@code weekly mon 03:00}. */
    record Weekly(DayOfWeek day, LocalTime time) implements DayPattern {
        @Override
        public List<LocalTime> timesOn(LocalDate date) {
            return date.getDayOfWeek() == day ? List.of(time) : List.of();
        }

        @Override
        public boolean everyOccurrence() {
            return false;
        }

        @Override
        public String expression() {
            return "weekly " + day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toLowerCase(Locale.ROOT) + " " + time;
        }
    }

    /** {@code monthly 31 04:00}: on that day of the month, or on the month's last day when it has fewer. */
    record Monthly(int dayOfMonth, LocalTime time) implements DayPattern {
        public Monthly {
            if (dayOfMonth < 1 || dayOfMonth > 31) {
                throw new IllegalArgumentException("day of month 1..31, got " + dayOfMonth);
            }
        }

        @Override
        public List<LocalTime> timesOn(LocalDate date) {
            return date.getDayOfMonth() == Math.min(dayOfMonth, date.lengthOfMonth()) ? List.of(time) : List.of();
        }

        @Override
        public boolean everyOccurrence() {
            return false;
        }

        @Override
        public String expression() {
            return "monthly " + dayOfMonth + " " + time;
        }
    }

    /** A 5-field cron expression; see {@link CronExpression} for its DST behaviour. */
    record Cron(CronExpression cron) implements DayPattern {
        @Override
        public List<LocalTime> timesOn(LocalDate date) {
            return cron.timesOn(date);
        }

        @Override
        public boolean everyOccurrence() {
            return cron.everyHour();
        }

        @Override
        public String expression() {
            return cron.text();
        }
    }
}
