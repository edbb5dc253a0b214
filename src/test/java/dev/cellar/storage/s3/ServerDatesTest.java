package dev.cellar.storage.s3;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's clock as its Date headers tell it, carried forward between answers. */
class ServerDatesTest {
    @Test
    void theDateOfTheLatestAnswerIsTheServersTimeWithinItsSecond() {
        ServerDates dates = new ServerDates();
        assertThat(dates.now()).as("before any answer").isEmpty();

        dates.record("Wed, 02 Dec 2026 12:00:00 GMT");
        dates.record("not a date");

        assertThat(dates.now()).hasValueSatisfying(now -> assertThat(Duration.between(Instant.parse("2026-12-02T12:00:00.500Z"), now))
                .isBetween(Duration.ZERO, Duration.ofSeconds(2)));
    }
}
