package dev.cellar.server.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A schedule written the way cron and systemd timers read it, for {@code cellar schedule print}.
 * Each form says its own limits: what cannot be written is returned empty and said by the caller.
 */
final class CalendarText {
    /** Crontab's test for "today is the month's last day"; '%' is escaped because cron reads it as a newline. */
    static final String LAST_DAY_OF_MONTH_TEST = "[ \"$(date -d tomorrow +\\%d)\" = 01 ]";

    private CalendarText() {
    }

    /** A crontab time spec (5 fields) and a shell test that must also pass, or null. */
    record CronLine(String fields, String guard) {
    }

    /** The crontab lines that fire at the schedule's slots; empty when cron cannot express it. */
    static List<CronLine> cron(Schedule schedule) {
        return switch (schedule) {
            case Off off -> List.of();
            case Interval interval -> cronInterval(interval).map(f -> List.of(new CronLine(f, null))).orElse(List.of());
            case WallClockSchedule wall -> cronPattern(wall.pattern());
        };
    }

    private static java.util.Optional<String> cronInterval(Interval interval) {
        long minutes = interval.every().toMinutes();
        if (minutes < 60 && 60 % minutes == 0) {
            return java.util.Optional.of((minutes == 1 ? "*" : "*/" + minutes) + " * * * *");
        }
        if (minutes % 60 == 0 && 24 % (minutes / 60) == 0) {
            long hours = minutes / 60;
            return java.util.Optional.of("0 " + (hours == 1 ? "*" : "*/" + hours) + " * * *");
        }
        return java.util.Optional.empty();
    }

    private static List<CronLine> cronPattern(DayPattern pattern) {
        return switch (pattern) {
            case DayPattern.Daily d -> List.of(new CronLine(d.time().getMinute() + " " + d.time().getHour() + " * * *", null));
            case DayPattern.Hourly h -> List.of(new CronLine(h.from().getMinute() + " " + hourRange(h, "-", ",") + " * * *", null));
            case DayPattern.Weekly w -> List.of(new CronLine(w.time().getMinute() + " " + w.time().getHour() + " * * "
                    + w.day().getValue() % 7, null));
            case DayPattern.Monthly m -> {
                String time = m.time().getMinute() + " " + m.time().getHour() + " ";
                List<CronLine> lines = new ArrayList<>(List.of(new CronLine(time + m.dayOfMonth() + " * *", null)));
                if (m.dayOfMonth() > 28) {
                    // a month without the day runs on its last day, one of 28..day-1
                    String days = m.dayOfMonth() == 29 ? "28" : "28-" + (m.dayOfMonth() - 1);
                    lines.add(new CronLine(time + days + " * *", LAST_DAY_OF_MONTH_TEST));
                }
                yield lines;
            }
            case DayPattern.Cron c -> List.of(new CronLine(c.cron().text(), null));
        };
    }

    /** systemd {@code OnCalendar=} values (several fire on the union), or empty for an interval systemd cannot align. */
    static List<String> onCalendar(Schedule schedule) {
        String zone = " " + schedule.zone().getId();
        return switch (schedule) {
            case Off off -> List.of();
            case Interval interval -> systemdInterval(interval).map(List::of).orElse(List.of());
            case WallClockSchedule wall -> systemdPattern(wall.pattern()).stream().map(spec -> spec + zone).toList();
        };
    }

    private static java.util.Optional<String> systemdInterval(Interval interval) {
        long minutes = interval.every().toMinutes();
        if (minutes < 60 && 60 % minutes == 0) {
            return java.util.Optional.of("*-*-* *:00/" + minutes + ":00 UTC");
        }
        if (minutes % 60 == 0 && 24 % (minutes / 60) == 0) {
            return java.util.Optional.of("*-*-* 00/" + minutes / 60 + ":00:00 UTC");
        }
        return java.util.Optional.empty();
    }

    private static List<String> systemdPattern(DayPattern pattern) {
        return switch (pattern) {
            case DayPattern.Daily d -> List.of("*-*-* " + time(d.time()));
            case DayPattern.Hourly h -> List.of("*-*-* " + hourRange(h, "..", ",") + ":" + two(h.from().getMinute()) + ":00");
            case DayPattern.Weekly w -> List.of(dayName(w.day()) + " *-*-* " + time(w.time()));
            case DayPattern.Monthly m -> monthly(m);
            case DayPattern.Cron c -> systemdCron(c.cron());
        };
    }

    /** One spec per distinct day the months run on: the day itself, or {@code ~01} (the last day) where it is missing. */
    private static List<String> monthly(DayPattern.Monthly m) {
        if (m.dayOfMonth() <= 28) {
            return List.of("*-*-" + two(m.dayOfMonth()) + " " + time(m.time()));
        }
        Map<String, List<String>> monthsByDay = new LinkedHashMap<>();
        for (Month month : Month.values()) {
            int longest = month.maxLength();
            String day = month == Month.FEBRUARY || m.dayOfMonth() > longest ? "~01" : "-" + two(m.dayOfMonth());
            monthsByDay.computeIfAbsent(day, k -> new ArrayList<>()).add(two(month.getValue()));
        }
        List<String> specs = new ArrayList<>();
        monthsByDay.forEach((day, months) -> specs.add("*-" + String.join(",", months) + day + " " + time(m.time())));
        return specs;
    }

    private static List<String> systemdCron(CronExpression cron) {
        String date = "*-" + list(cron, 3, 1, 12) + "-";
        String time = list(cron, 1, 0, 23) + ":" + list(cron, 0, 0, 59) + ":00";
        String days = cron.values(4).stream().map(d -> dayName(DayOfWeek.of(d == 0 ? 7 : d))).collect(Collectors.joining(","));
        if (cron.dayOfMonthRestricted() && cron.dayOfWeekRestricted()) {
            return List.of(date + list(cron, 2, 1, 31) + " " + time, days + " " + date + "* " + time);
        }
        String weekday = cron.dayOfWeekRestricted() ? days + " " : "";
        return List.of(weekday + date + list(cron, 2, 1, 31) + " " + time);
    }

    private static String list(CronExpression cron, int field, int min, int max) {
        List<Integer> values = cron.values(field);
        if (values.size() == max - min + 1) {
            return "*";
        }
        return values.stream().map(CalendarText::two).collect(Collectors.joining(","));
    }

    private static String hourRange(DayPattern.Hourly h, String to, String and) {
        int from = h.from().getHour();
        int last = h.to().getHour();
        if (from <= last) {
            return from == last ? two(from, to) : two(from, to) + to + two(last, to);
        }
        return two(from, to) + to + "23" + and + "0" + (to.equals("..") ? "0" : "") + to + two(last, to);
    }

    /** Two digits for systemd (which reads them either way), plain numbers for cron. */
    private static String two(int value, String rangeSign) {
        return rangeSign.equals("..") ? two(value) : Integer.toString(value);
    }

    private static String two(int value) {
        return String.format(Locale.ROOT, "%02d", value);
    }

    private static String time(LocalTime time) {
        return two(time.getHour()) + ":" + two(time.getMinute()) + ":00";
    }

    private static String dayName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ROOT);
    }
}
