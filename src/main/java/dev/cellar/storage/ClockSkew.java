package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far this host's clock is from the clock of the server that enforces the repository's
 * locks. Beyond {@link #TOLERANCE} every command warns, and the commands that delete (expire, gc)
 * refuse: their age and lock decisions would be made in a different time from the server's. S3
 * requests still work with such a host (the SDK corrects its signatures by the server's Date),
 * which is why nothing else would notice.
 *
 * @param hostAhead how far the host's clock is ahead of the server's (negative: behind)
 */
public record ClockSkew(Duration hostAhead, Instant hostTime, Instant serverTime, String location) {
    public static final Duration TOLERANCE = Duration.ofMinutes(1);

    /** The skew between {@code hostClock} and the server of {@code storage}, if it has one that has answered. */
    public static Optional<ClockSkew> of(Storage storage, Clock hostClock) {
        Optional<Instant> server = storage.serverTime();
        if (server.isEmpty()) {
            return Optional.empty();
        }
        Instant host = hostClock.instant();
        return Optional.of(new ClockSkew(Duration.between(server.get(), host), host, server.get(), storage.describe()));
    }

    /** The skew, when it is beyond {@link #TOLERANCE}. */
    public static Optional<ClockSkew> beyondTolerance(Storage storage, Clock hostClock) {
        return of(storage, hostClock).filter(s -> s.hostAhead().abs().compareTo(TOLERANCE) > 0);
    }

    /**
     * Refuses {@code operation} (expire, gc) when the skew is beyond tolerance.
     *
     * @throws CellarException {@code CLOCK_SKEW}
     */
    public static void refuseIfBeyondTolerance(Storage storage, Clock hostClock, String operation) {
        beyondTolerance(storage, hostClock).ifPresent(skew -> {
            throw new CellarException(ErrorCode.CLOCK_SKEW, operation + " refused: " + skew.describe(),
                    "set this host's clock right (NTP: 'timedatectl', 'chronyc tracking') and run " + operation
                            + " again; nothing was deleted");
        });
    }

    /** "this host's clock is 4 d 0 h 0 min ahead of the clock of s3://b/p (server time 2026-...)". */
    public String describe() {
        Duration size = hostAhead.abs();
        String amount = size.toDays() > 0 ? size.toDays() + " d " + size.toHoursPart() + " h " + size.toMinutesPart() + " min"
                : size.toHours() > 0 ? size.toHours() + " h " + size.toMinutesPart() + " min"
                : size.toMinutes() + " min " + size.toSecondsPart() + " s";
        return "this host's clock (" + hostTime + ") is " + amount + (hostAhead.isNegative() ? " behind" : " ahead of")
                + " the clock of " + location + " (" + serverTime + "), which is the clock that decides when WORM locks end";
    }
}
