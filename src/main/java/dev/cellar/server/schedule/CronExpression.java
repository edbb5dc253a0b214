package dev.cellar.server.schedule;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A classic 5-field cron expression (minute hour day-of-month month day-of-week), for sites that
 * already think in cron. Fire times are computed here, not by a cron library, so that daylight
 * saving follows Cellar's rule: like cronie, a job at a fixed hour runs once on the transition
 * days ({@link LocalTimeRule}); a job whose hour field is {@code *} fires by elapsed time.
 * As in Vixie cron, when both day fields are restricted a day matching either one fires.
 */
public final class CronExpression {
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;
    private final boolean everyHour;

    private CronExpression(String[] fields) {
        this.text = String.join(" ", fields);
        this.minutes = field(fields[0], "minute", 0, 59, null);
        this.hours = field(fields[1], "hour", 0, 23, null);
        this.daysOfMonth = field(fields[2], "day of month", 1, 31, null);
        this.months = field(fields[3], "month", 1, 12, MONTHS);
        BitSet dow = field(fields[4], "day of week", 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        this.daysOfWeek = dow;
        this.dayOfMonthRestricted = !fields[2].startsWith("*");
        this.dayOfWeekRestricted = !fields[4].startsWith("*");
        this.everyHour = fields[1].equals("*");
    }

    /** Reads a 5-field expression. */
    public static CronExpression parse(String text) {
        String[] fields = text.strip().toLowerCase(Locale.ROOT).split("\\s+");
        if (fields.length != 5) {
            throw new ScheduleSyntaxException("a cron expression has 5 fields (minute hour day-of-month month day-of-week), '"
                    + text.strip() + "' has " + fields.length);
        }
        return new CronExpression(fields);
    }

    public String text() {
        return text;
    }

    /** Whether the hour field is {@code *}: the job then fires by elapsed time across DST changes. */
    public boolean everyHour() {
        return everyHour;
    }

    List<LocalTime> timesOn(LocalDate date) {
        if (!months.get(date.getMonthValue()) || !dayMatches(date)) {
            return List.of();
        }
        List<LocalTime> times = new ArrayList<>();
        for (int hour = hours.nextSetBit(0); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
            for (int minute = minutes.nextSetBit(0); minute >= 0; minute = minutes.nextSetBit(minute + 1)) {
                times.add(LocalTime.of(hour, minute));
            }
        }
        return times;
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = daysOfMonth.get(date.getDayOfMonth());
        boolean dow = daysOfWeek.get(date.getDayOfWeek().getValue() % 7);
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    /** The values of one field, as a sorted list (for printing systemd calendar specs). */
    List<Integer> values(int field) {
        BitSet set = switch (field) {
            case 0 -> minutes;
            case 1 -> hours;
            case 2 -> daysOfMonth;
            case 3 -> months;
            default -> daysOfWeek;
        };
        return set.stream().boxed().toList();
    }

    boolean dayOfMonthRestricted() {
        return dayOfMonthRestricted;
    }

    boolean dayOfWeekRestricted() {
        return dayOfWeekRestricted;
    }

    private static BitSet field(String text, String name, int min, int max, String[] names) {
        BitSet set = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), name, 1, max, null, text);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw bad(name, text, "'" + range + "' is not a range a-b");
                }
                from = number(ends[0], name, min, max, names, text);
                to = number(ends[1], name, min, max, names, text);
                if (to < from) {
                    throw bad(name, text, "the range " + range + " ends before it starts");
                }
            } else {
                from = number(range, name, min, max, names, text);
                to = slash >= 0 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                set.set(value);
            }
        }
        return set;
    }

    private static int number(String token, String name, int min, int max, String[] names, String field) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(token)) {
                    return i + (names == MONTHS ? 1 : 0);
                }
            }
        }
        try {
            int value = Integer.parseInt(token);
            if (value < min || value > max) {
                throw bad(name, field, token + " is outside " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw bad(name, field, "'" + token + "' is not a number" + (names == null ? "" : " or a name such as " + names[1]));
        }
    }

    private static ScheduleSyntaxException bad(String name, String field, String problem) {
        return new ScheduleSyntaxException("cron " + name + " field '" + field + "': " + problem);
    }
}
