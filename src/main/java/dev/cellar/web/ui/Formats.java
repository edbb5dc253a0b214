package dev.cellar.web.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages print figures: short enough for a phone, exact enough to act on (times in UTC, as the logs). */
final class Formats {
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Formats() {
    }

    /** {@code 26 h}, {@code 26 h 3 min}, {@code 4 d 2 h}, {@code 45 s}; a dash for unknown. */
    static String duration(Duration d) {
        if (d == null) {
            return "–";
        }
        long seconds = Math.abs(d.toSeconds());
        String sign = d.isNegative() ? "-" : "";
        if (seconds < 60) {
            return sign + seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return sign + minutes + " min";
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return sign + hours + " h" + (minutes % 60 == 0 ? "" : " " + (minutes % 60) + " min");
        }
        return sign + (hours / 24) + " d" + (hours % 24 == 0 ? "" : " " + (hours % 24) + " h");
    }

    static String bytes(Long bytes) {
        if (bytes == null) {
            return "–";
        }
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    static String instant(Instant instant) {
        return instant == null ? "–" : INSTANT.format(instant);
    }

    /** For the {@code datetime} attribute of {@code <time>}. */
    static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
