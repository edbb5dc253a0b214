package dev.cellar.server.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the schedule expressions a DBA writes in cellar.yaml: {@code daily 02:00},
 * {@code hourly 07:00-23:00}, {@code every 15m}, {@code weekly mon 03:00}, {@code monthly 1 04:00},
 * {@code off}, or a 5-field cron expression. Errors say what is wrong and show the forms.
 */
public final class ScheduleParser {
    /** The forms, for hints. */
    public static final String FORMS = "daily HH:MM, hourly HH:MM-HH:MM, every 15m (or 2h), weekly mon HH:MM, "
            + "monthly 1 HH:MM, off, or a 5-field cron expression such as '0 2 * * *'";
    private static final Pattern TIME = Pattern.compile("([01]?\\d|2[0-3]):([0-5]\\d)");
    private static final Pattern WINDOW = Pattern.compile("(\\S+)-(\\S+)");
    private static final Pattern EVERY = Pattern.compile("(\\d{1,4})(m|min|h)");
    private static final List<String> WORDS = List.of("daily", "hourly", "every", "weekly", "monthly", "off");
    /** Where a cron expression that can never fire is looked for (covers every leap-year weekday). */
    private static final Instant NEVER_CHECK_FROM = Instant.parse("2000-01-01T00:00:00Z");

    private ScheduleParser() {
    }

    /**
     * @throws ScheduleSyntaxException with a message that quotes the text and says what is wrong
     */
    public static Schedule parse(String text, ZoneId zone) {
        String normal = text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (normal.isEmpty()) {
            throw new ScheduleSyntaxException("is empty");
        }
        String[] words = normal.split(" ");
        String rest = normal.substring(words[0].length()).strip();
        return switch (words[0]) {
            case "off" -> {
                expectArguments(words, 0, "off");
                yield new Off(zone);
            }
            case "daily" -> {
                expectArguments(words, 1, "daily HH:MM");
                yield new WallClockSchedule(new DayPattern.Daily(time(rest)), zone);
            }
            case "hourly" -> new WallClockSchedule(hourly(words, rest), zone);
            case "every" -> {
                expectArguments(words, 1, "every 15m");
                yield new Interval(interval(rest), zone);
            }
            case "weekly" -> {
                expectArguments(words, 2, "weekly mon HH:MM");
                yield new WallClockSchedule(new DayPattern.Weekly(day(words[1]), time(words[2])), zone);
            }
            case "monthly" -> {
                expectArguments(words, 2, "monthly 1 HH:MM");
                yield new WallClockSchedule(new DayPattern.Monthly(dayOfMonth(words[1]), time(words[2])), zone);
            }
            default -> cronOrUnknown(normal, words, zone);
        };
    }

    private static Schedule cronOrUnknown(String normal, String[] words, ZoneId zone) {
        if (!Character.isDigit(words[0].charAt(0)) && words[0].charAt(0) != '*') {
            String suggestion = WORDS.stream().filter(w -> distance(w, words[0]) <= 2).findFirst()
                    .map(w -> " (did you mean '" + w + "'?)").orElse("");
            throw new ScheduleSyntaxException("'" + normal + "' does not start with a known word" + suggestion);
        }
        WallClockSchedule schedule = new WallClockSchedule(new DayPattern.Cron(CronExpression.parse(normal)), zone);
        if (schedule.next(NEVER_CHECK_FROM).isEmpty()) {
            throw new ScheduleSyntaxException("the cron expression '" + normal + "' names a day that never comes");
        }
        return schedule;
    }

    private static DayPattern hourly(String[] words, String rest) {
        if (words.length == 1) {
            return new DayPattern.Hourly(LocalTime.MIDNIGHT, LocalTime.of(23, 0));
        }
        Matcher window = WINDOW.matcher(rest);
        if (words.length != 2 || !window.matches()) {
            throw new ScheduleSyntaxException("'hourly " + rest + "' must be 'hourly' or 'hourly HH:MM-HH:MM' (e.g. hourly 07:00-23:00)");
        }
        LocalTime from = time(window.group(1));
        LocalTime to = time(window.group(2));
        if (from.getMinute() != to.getMinute()) {
            throw new ScheduleSyntaxException("'hourly " + rest + "': both ends must fall on the same minute of the hour "
                    + "(it runs every hour at :" + String.format("%02d", from.getMinute()) + ")");
        }
        return new DayPattern.Hourly(from, to);
    }

    private static Duration interval(String text) {
        Matcher m = EVERY.matcher(text);
        if (!m.matches()) {
            throw new ScheduleSyntaxException("'every " + text + "' must be a number of minutes or hours, such as every 15m or every 2h");
        }
        long minutes = Long.parseLong(m.group(1)) * (m.group(2).equals("h") ? 60 : 1);
        if (minutes < 1 || minutes > 1440) {
            throw new ScheduleSyntaxException("'every " + text + "' must be between 1 minute and 24 hours");
        }
        return Duration.ofMinutes(minutes);
    }

    private static LocalTime time(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            throw new ScheduleSyntaxException("'" + text + "' is not a time of day HH:MM (00:00 to 23:59)");
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static DayOfWeek day(String text) {
        for (DayOfWeek day : DayOfWeek.values()) {
            String name = day.name().toLowerCase(Locale.ROOT);
            if (text.equals(name) || text.equals(name.substring(0, 3))) {
                return day;
            }
        }
        throw new ScheduleSyntaxException("'" + text + "' is not a day of the week (mon, tue, wed, thu, fri, sat, sun)");
    }

    private static int dayOfMonth(String text) {
        try {
            int day = Integer.parseInt(text);
            if (day >= 1 && day <= 31) {
                return day;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ScheduleSyntaxException("'" + text + "' is not a day of the month 1..31 (a month without it runs on its last day)");
    }

    private static void expectArguments(String[] words, int count, String form) {
        if (words.length - 1 != count) {
            throw new ScheduleSyntaxException("'" + String.join(" ", words) + "' must be written '" + form + "'");
        }
    }

    /** Parses a time zone name as the configuration spells it ({@code Europe/Berlin}, {@code UTC}). */
    public static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.strip());
        } catch (java.time.DateTimeException e) {
            throw new ScheduleSyntaxException("'" + text.strip() + "' is not a time zone; use a name such as Europe/Berlin, "
                    + "America/New_York or UTC");
        }
    }

    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
        }
        return d[a.length()][b.length()];
    }
}
