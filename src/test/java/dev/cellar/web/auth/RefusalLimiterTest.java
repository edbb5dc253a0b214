package dev.cellar.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefusalLimiterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final RefusalLimiter limiter = new RefusalLimiter(clock, 3);

    @Test
    void aFloodIsRecordedAFewTimesThenSummedUpOnce() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.refused("anonymous@10.0.0.9")).isEqualTo(new RefusalLimiter.Decision(true, java.util.Optional.empty()));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(limiter.refused("anonymous@10.0.0.9").recordThis()).isFalse();
        }
        assertThat(limiter.refused("alice@10.0.0.9").recordThis()).as("another caller has its own share").isTrue();
        clock.advance(Duration.ofSeconds(61));
        RefusalLimiter.Decision next = limiter.refused("anonymous@10.0.0.9");
        assertThat(next.recordThis()).isTrue();
        assertThat(next.summaryOfSuppressed()).hasValueSatisfying(s -> assertThat(s).startsWith("50 more refusals of anonymous@10.0.0.9"));
        clock.advance(Duration.ofSeconds(61));
        assertThat(limiter.refused("anonymous@10.0.0.9").summaryOfSuppressed()).as("nothing left out since").isEmpty();
    }
}
