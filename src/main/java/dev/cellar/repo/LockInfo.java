package dev.cellar.repo;

import java.time.Duration;
import java.time.Instant;

/**
 * The content of a lock file under {@code locks/}: who holds it and since when. Holders refresh
 * {@code refreshedAt}; a lock is stale when its process is gone (same host) or it has not been
 * refreshed for {@link #STALE_AFTER} (any host).
 */
public record LockInfo(String token, String mode, String operation, Actor holder, Instant startedAt, Instant refreshedAt) {
    public static final String SHARED = "shared";
    public static final String EXCLUSIVE = "exclusive";
    static final Duration STALE_AFTER = Duration.ofMinutes(15);

    public boolean isStale(Actor observer, Instant now) {
        if (holder.host().equals(observer.host())) {
            // On the same host the process table is the truth: a live holder is never stale.
            return holder.pid() != observer.pid()
                    && !ProcessHandle.of(holder.pid()).map(ProcessHandle::isAlive).orElse(false);
        }
        return refreshedAt.plus(STALE_AFTER).isBefore(now);
    }
}
