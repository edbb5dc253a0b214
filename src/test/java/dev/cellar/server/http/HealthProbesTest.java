package dev.cellar.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.repo.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthProbesTest {
    private static final Instant NOW = Instant.parse("2027-03-28T01:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicReference<Optional<Instant>> lastTick = new AtomicReference<>(Optional.of(NOW));
    private final SchedulerTickProbe probe = new SchedulerTickProbe(lastTick::get, clock, Duration.ofSeconds(120));

    @Test
    void aSchedulerThatTickedWithinTheAllowedAgeIsHealthy() {
        clock.advance(Duration.ofSeconds(120));

        HealthCheck check = probe.check();

        assertThat(check.healthy()).isTrue();
        assertThat(check.detail()).isEqualTo("last looked for due jobs 120 s ago");
    }

    @Test
    void aSchedulerSilentLongerThanTheAllowedAgeIsDownSayingSince() {
        clock.advance(Duration.ofSeconds(121));

        HealthCheck check = probe.check();

        assertThat(check.healthy()).isFalse();
        assertThat(check.name()).isEqualTo("scheduler");
        assertThat(check.detail()).contains("121 s ago", "at 2027-03-28T01:00:00Z", "120 s allowed", "restart cellar server");
    }

    @Test
    void aSchedulerThatNeverTickedIsDown() {
        lastTick.set(Optional.empty());

        assertThat(probe.check().healthy()).isFalse();
        assertThat(probe.check().detail()).contains("not looked for due jobs yet");
    }

    @Test
    void theReportIsUpOnlyWhenEveryCheckIsAndAThrowingProbeCountsAsDown() {
        HealthProbe throwing = () -> {
            throw new IllegalStateException("boom");
        };
        HealthRoutes allWell = new HealthRoutes(List.of(probe, () -> new HealthCheck("catalog", true, "answers")));
        HealthRoutes oneThrows = new HealthRoutes(List.of(probe, throwing));

        assertThat(allWell.report().status()).isEqualTo(HealthReport.UP);
        HealthReport down = oneThrows.report();
        assertThat(down.status()).isEqualTo(HealthReport.DOWN);
        assertThat(down.checks()).hasSize(2);
        assertThat(down.checks().get(1).healthy()).isFalse();
        assertThat(down.checks().get(1).detail()).contains("boom");
    }
}
