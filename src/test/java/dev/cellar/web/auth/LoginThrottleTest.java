package dev.cellar.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, 5, Duration.ofMinutes(15));

    @Test
    void aSourceGetsItsShareOfAttemptsPerMinuteThenWaits() {
        assertThat(throttle.attempt("10.0.0.1", "alice")).isEmpty();
        assertThat(throttle.attempt("10.0.0.1", "bob")).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.attempt("10.0.0.1", "carol")).isEmpty();
        assertThat(throttle.attempt("10.0.0.1", "dave")).contains(Instant.parse("2026-12-02T10:01:00Z"));
        assertThat(throttle.attempt("10.0.0.2", "dave")).as("another source, another user").isEmpty();
        clock.advance(Duration.ofSeconds(50));
        assertThat(throttle.attempt("10.0.0.1", "erin")).as("the first two attempts left the window").isEmpty();
    }

    @Test
    void aUserGetsItsShareWhateverTheSource() {
        assertThat(throttle.attempt("10.0.0.1", "alice")).isEmpty();
        assertThat(throttle.attempt("10.0.0.2", "Alice")).isEmpty();
        assertThat(throttle.attempt("10.0.0.3", "alice")).isEmpty();
        assertThat(throttle.attempt("10.0.0.4", "ALICE")).isPresent();
        assertThat(throttle.attempt("10.0.0.4", "bob")).isEmpty();
    }

    @Test
    void aRefusedAttemptIsNotCountedSoWaitingAMinuteIsEnough() {
        for (int i = 0; i < 3; i++) {
            throttle.attempt("10.0.0.1", "alice");
        }
        for (int i = 0; i < 20; i++) {
            assertThat(throttle.attempt("10.0.0.1", "alice")).isPresent();
        }
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.attempt("10.0.0.1", "alice")).isEmpty();
    }

    @Test
    void theFifthFailureInARowLocksTheUserOutForFifteenMinutes() {
        assertThat(throttle.lockAfter(4)).isEmpty();
        assertThat(throttle.lockAfter(5)).contains(Instant.parse("2026-12-02T10:15:00Z"));
        assertThat(throttle.lockAfter(7)).contains(Instant.parse("2026-12-02T10:15:00Z"));
    }
}
