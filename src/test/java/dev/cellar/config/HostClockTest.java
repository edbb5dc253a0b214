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
}
