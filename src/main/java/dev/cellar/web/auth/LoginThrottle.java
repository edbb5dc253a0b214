package dev.cellar.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Slows password and code guessing: at most {@code attemptsPerMinute} login attempts per source
 * address and per user name in any minute (then 429), and a lock-out of the user after
 * {@code lockoutAfterFailures} failures in a row (then 423 until it ends or an admin unlocks).
 * The attempt counts live in this node's memory (a restart forgets them); the lock-out lives in
 * the catalog, so every node and the CLI see it.
 */
public final class LoginThrottle {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    /** Beyond this many keys, those with no attempt in the window are dropped: a flood of sources cannot fill the heap. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Clock clock;
    private final int attemptsPerMinute;
    private final int lockoutAfterFailures;
    private final Duration lockout;
    private final Map<String, Deque<Instant>> attempts = new HashMap<>();

    public LoginThrottle(Clock clock, int attemptsPerMinute, int lockoutAfterFailures, Duration lockout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (attemptsPerMinute < 1 || lockoutAfterFailures < 1) {
            throw new IllegalArgumentException("attempts per minute and failures before lock-out must be at least 1");
        }
        this.attemptsPerMinute = attemptsPerMinute;
        this.lockoutAfterFailures = lockoutAfterFailures;
        this.lockout = Objects.requireNonNull(lockout, "lockout");
    }

    /**
     * Counts an attempt from {@code source} for {@code user}; answers when the caller may try again
     * if either has had its minute's share already (the attempt is then not counted), or empty
     * when it may go on.
     */
    public synchronized Optional<Instant> attempt(String source, String user) {
        Instant now = clock.instant();
        String sourceKey = "source " + source;
        String userKey = "user " + (user == null ? "" : user.toLowerCase(Locale.ROOT));
        Optional<Instant> retry = full(sourceKey, now).or(() -> full(userKey, now));
        if (retry.isPresent()) {
            return retry;
        }
        attempts.computeIfAbsent(sourceKey, k -> new ArrayDeque<>()).addLast(now);
        attempts.computeIfAbsent(userKey, k -> new ArrayDeque<>()).addLast(now);
        if (attempts.size() > PRUNE_ABOVE) {
            attempts.values().removeIf(times -> {
                trim(times, now);
                return times.isEmpty();
            });
        }
        return Optional.empty();
    }

    /**
     * Until when a user with {@code failuresInARow} failed attempts (this one included) is locked
     * out, or empty when not yet. Pure: the login stores the answer in the catalog.
     */
    public Optional<Instant> lockAfter(int failuresInARow) {
        return failuresInARow >= lockoutAfterFailures ? Optional.of(clock.instant().plus(lockout)) : Optional.empty();
    }

    private Optional<Instant> full(String key, Instant now) {
        Deque<Instant> times = attempts.get(key);
        if (times == null) {
            return Optional.empty();
        }
        trim(times, now);
        return times.size() >= attemptsPerMinute ? Optional.of(times.peekFirst().plus(WINDOW)) : Optional.empty();
    }

    private static void trim(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && !times.peekFirst().plus(WINDOW).isAfter(now)) {
            times.removeFirst();
        }
    }
}
