package dev.cellar.drill;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RTO and RPO objectives as people write them ("15 minutes", "4 hours", "15m", "1s"), and back
 * as short text for reports ("3.2 s", "15 min", "4 h").
 */
public final class ObjectiveDuration {
    private static final Pattern TEXT = Pattern.compile("\\s*([0-9]{1,6}(?:\\.[0-9]{1,3})?)\\s*([a-z]+)\\s*");

    private ObjectiveDuration() {
    }

    /** "500ms", "1s", "30 seconds", "15m", "15 minutes", "4h", "4 hours", "1 day"; empty for anything else or zero. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = TEXT.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        double amount = Double.parseDouble(m.group(1));
        long millisPerUnit = switch (m.group(2)) {
            case "ms", "millis", "milliseconds" -> 1L;
            case "s", "sec", "secs", "second", "seconds" -> 1_000L;
            case "m", "min", "mins", "minute", "minutes" -> 60_000L;
            case "h", "hour", "hours" -> 3_600_000L;
            case "d", "day", "days" -> 86_400_000L;
            default -> -1L;
        };
        long millis = Math.round(amount * millisPerUnit);
        return millisPerUnit < 0 || millis <= 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
    }

    /** Short text: "850 ms", "3.2 s", "15 min", "4 h", "1 h 30 min". */
    public static String format(Duration duration) {
        if (duration == null) {
            return "-";
        }
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long minutes = millis / 60_000;
        long seconds = (millis % 60_000) / 1000;
        if (minutes < 60) {
            return minutes + " min" + (seconds == 0 ? "" : " " + seconds + " s");
        }
        long hours = minutes / 60;
        long rest = minutes % 60;
        return hours + " h" + (rest == 0 ? "" : " " + rest + " min");
    }
}
