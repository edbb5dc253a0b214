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

    private HostClock() {
    }

    /** The system clock in UTC, moved by {@value #OFFSET_PROPERTY} when that is set. */
    public static Clock system() {
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
}
