package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** -Dcellar.clock-offset moves this process's idea of now, and nothing else. */
class HostClockTest {
    @AfterEach
    void clear() {
        System.clearProperty(HostClock.OFFSET_PROPERTY);
        System.clearProperty(HostClock.SCALE_PROPERTY);
        System.clearProperty(HostClock.START_PROPERTY);
        System.clearProperty(HostClock.ANCHOR_PROPERTY);
    }

    @Test
    void theOffsetMovesTheClockAndNoOffsetLeavesIt() {
        assertThat(Duration.between(Instant.now(), HostClock.system().instant()).abs()).isLessThan(Duration.ofSeconds(5));

        System.setProperty(HostClock.OFFSET_PROPERTY, "P4D");

        assertThat(Duration.between(Instant.now(), HostClock.system().instant())).isBetween(Duration.ofDays(4).minusSeconds(5),
                Duration.ofDays(4).plusSeconds(5));
    }

    @Test
    void aMalformedOffsetIsAConfigurationError() {
        System.setProperty(HostClock.OFFSET_PROPERTY, "four days");

        assertThatThrownBy(HostClock::system).isInstanceOfSatisfying(CellarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    @Test
    void aScaledClockShowsItsStartAtTheAnchorAndRunsFaster() {
        long anchor = System.currentTimeMillis() - 10_000;
        System.setProperty(HostClock.SCALE_PROPERTY, "2880");
        System.setProperty(HostClock.START_PROPERTY, "2027-03-01T00:00:00Z");
        System.setProperty(HostClock.ANCHOR_PROPERTY, Long.toString(anchor));

        Instant shown = HostClock.system().instant();

        // ten real seconds at 2880 times are eight hours of the scaled clock
        assertThat(shown).isBetween(Instant.parse("2027-03-01T08:00:00Z"), Instant.parse("2027-03-01T08:10:00Z"));
    }

    @Test
    void aScaleWithoutAStartIsAConfigurationError() {
        System.setProperty(HostClock.SCALE_PROPERTY, "2880");

        assertThatThrownBy(HostClock::system).isInstanceOfSatisfying(CellarException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }
}
