package dev.cellar.storage.s3;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The S3 server's clock, read from the {@code Date} header of every response (errors included):
 * Object Lock is enforced by the server's clock, so Cellar judges locks by it too, never by this
 * host's. Between responses the time is carried forward on the monotonic clock, which a host
 * clock set wrong or stepped by NTP does not disturb.
 */
final class ServerDates implements ExecutionInterceptor {
    /** The header has whole seconds: the server's time was somewhere in the second it names. */
    private static final Duration HALF_A_SECOND = Duration.ofMillis(500);

    private record Reading(Instant date, long receivedNanos) {
    }

    private volatile Reading last;

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes executionAttributes) {
        context.httpResponse().firstMatchingHeader("Date").ifPresent(this::record);
    }

    void record(String header) {
        try {
            Instant date = ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            last = new Reading(date, System.nanoTime());
        } catch (DateTimeParseException unreadable) {
            // a proxy's odd header: keep the last good reading
        }
    }

    /** The server's time now, or empty before its first response. */
    Optional<Instant> now() {
        Reading reading = last;
        if (reading == null) {
            return Optional.empty();
        }
        return Optional.of(reading.date().plus(HALF_A_SECOND).plusNanos(System.nanoTime() - reading.receivedNanos()));
    }
}
