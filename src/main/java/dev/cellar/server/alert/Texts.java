package dev.cellar.server.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Durations, sizes and instants written the way a person reads them in an alert. */
final class Texts {
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Texts() {
    }

    /** {@code 3 d 4 h}, {@code 2 h 5 min}, {@code 12 min}, {@code 40 s}: the two largest units. */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long days = seconds / 86400;
        long hours = seconds % 86400 / 3600;
        long minutes = seconds % 3600 / 60;
        if (days > 0) {
            return hours > 0 ? days + " d " + hours + " h" : days + " d";
        }
        if (hours > 0) {
            return minutes > 0 ? hours + " h " + minutes + " min" : hours + " h";
        }
        return minutes > 0 ? minutes + " min" : seconds + " s";
    }

    /** {@code 1.5 GiB}, {@code 700 MiB}, {@code 512 B}. */
    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    static String instant(Instant instant) {
        return instant == null ? "unknown" : INSTANT.format(instant);
    }
}
