package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    private final ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));

    @Test
    void quickFailuresDoubleTheWaitUpToTheMaximum() {
        Duration quick = Duration.ofSeconds(2);
        assertThat(backoff.next(quick)).hasSeconds(1);
        assertThat(backoff.next(quick)).hasSeconds(2);
        assertThat(backoff.next(quick)).hasSeconds(4);
        assertThat(backoff.next(quick)).hasSeconds(8);
        assertThat(backoff.next(quick)).hasSeconds(16);
        assertThat(backoff.next(quick)).hasSeconds(30);
        assertThat(backoff.next(quick)).hasSeconds(30);
    }

    @Test
    void aRunThatStreamedForAWhileResetsTheWait() {
        Duration quick = Duration.ofSeconds(2);
        backoff.next(quick);
        backoff.next(quick);
        assertThat(backoff.next(quick)).hasSeconds(4);
        assertThat(backoff.next(Duration.ofMinutes(5))).hasSeconds(1);
        assertThat(backoff.next(quick)).hasSeconds(2);
    }
}
