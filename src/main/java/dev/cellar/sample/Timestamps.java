package dev.cellar.sample;

import java.time.LocalDate;

/**
 * Fast text formatting of UTC instants and dates for COPY. The generator writes millions of
 * timestamps, and {@link java.time.format.DateTimeFormatter} would dominate its run time.
 */
final class Timestamps {
    static final long SECONDS_PER_DAY = 86_400;

    private Timestamps() {
    }

    /** Appends e.g. {@code 2025-03-07 18:04:09+00}. */
    static void appendTimestamp(StringBuilder sb, long epochSecond) {
        long day = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        appendDate(sb, day);
        sb.append(' ');
        two(sb, secondOfDay / 3600).append(':');
        two(sb, secondOfDay / 60 % 60).append(':');
        two(sb, secondOfDay % 60).append("+00");
    }

    static void appendDate(StringBuilder sb, long epochDay) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        sb.append(date.getYear()).append('-');
        two(sb, date.getMonthValue()).append('-');
        two(sb, date.getDayOfMonth());
    }

    private static StringBuilder two(StringBuilder sb, int value) {
        if (value < 10) {
            sb.append('0');
        }
        return sb.append(value);
    }
}
