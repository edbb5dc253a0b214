package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * This host's clock, as every command reads it. The system property {@value #OFFSET_PROPERTY}
 * (an ISO-8601 duration such as {@code P4D} or {@code -PT2H}) moves it, for this process only:
 * how tests and drills play a host whose clock is wrong without touching the machine's clock.
 * It is not a setting (no {@code CELLAR_*} variable, no key in cellar.yaml) because no production
 * run should ever want it.
 */
public final class HostClock {
    public static final String OFFSET_PROPERTY = "cellar.clock-offset";
    /**
     * How much faster than real time the clock runs, e.g. {@code 2880} (a day in 30 s): how the
     * daemon's tests play a week of schedules in minutes. Only with {@value #START_PROPERTY}.
     */
    public static final String SCALE_PROPERTY = "cellar.clock-scale";
    /** The instant a scaled clock shows at {@value #ANCHOR_PROPERTY}. */
    public static final String START_PROPERTY = "cellar.clock-start";
    /** The real time (epoch milliseconds) at which a scaled clock shows its start; default: when the process asked. Several processes share one scaled time by sharing it. */
    public static final String ANCHOR_PROPERTY = "cellar.clock-anchor";

    private HostClock() {
    }

    /** The system clock in UTC, moved by {@value #OFFSET_PROPERTY} when that is set. */
    public static Clock system() {
        String scale = System.getProperty(SCALE_PROPERTY);
        if (scale != null && !scale.isBlank()) {
            return scaled(scale.strip());
        }
        String offset = System.getProperty(OFFSET_PROPERTY);
        if (offset == null || offset.isBlank()) {
            return Clock.systemUTC();
        }
        try {
            return Clock.offset(Clock.systemUTC(), Duration.parse(offset.strip()));
        } catch (DateTimeParseException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "-D" + OFFSET_PROPERTY + "=" + offset + " is not an ISO-8601 duration",
                    "write it like P4D (four days ahead) or -PT90M (90 minutes behind), or leave it out");
        }
    }

    private static Clock scaled(String scale) {
        String start = System.getProperty(START_PROPERTY);
        String anchor = System.getProperty(ANCHOR_PROPERTY);
        try {
            return new ScaledClock(java.time.Instant.parse(String.valueOf(start).strip()),
                    anchor == null || anchor.isBlank() ? System.currentTimeMillis() : Long.parseLong(anchor.strip()),
                    Double.parseDouble(scale));
        } catch (RuntimeException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "-D" + SCALE_PROPERTY + "=" + scale + " needs -D" + START_PROPERTY
                    + "=<ISO instant> and an optional -D" + ANCHOR_PROPERTY + "=<epoch ms>: " + e.getMessage(),
                    "these properties are for tests only; leave them out");
        }
    }

    /** A clock that shows {@code start} at real time {@code anchorMillis} and runs {@code scale} times faster than real time. */
    private static final class ScaledClock extends Clock {
        private final java.time.Instant start;
        private final long anchorMillis;
        private final double scale;
        private final java.time.ZoneId zone;

        ScaledClock(java.time.Instant start, long anchorMillis, double scale) {
            this(start, anchorMillis, scale, java.time.ZoneOffset.UTC);
        }

        ScaledClock(java.time.Instant start, long anchorMillis, double scale, java.time.ZoneId zone) {
            if (!(scale > 0)) {
                throw new IllegalArgumentException("the scale must be positive");
            }
            this.start = start;
            this.anchorMillis = anchorMillis;
            this.scale = scale;
            this.zone = zone;
        }

        @Override
        public java.time.ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return new ScaledClock(start, anchorMillis, scale, zone);
        }

        @Override
        public java.time.Instant instant() {
            long realMillis = System.currentTimeMillis() - anchorMillis;
            return start.plusMillis((long) (realMillis * scale));
        }
    }
}
