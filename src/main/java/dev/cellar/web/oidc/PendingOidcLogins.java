package dev.cellar.web.oidc;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The logins sent to the provider and not yet back, by state, in this server's memory: each can be
 * finished once, within a few minutes. Bounded, so a flood of login starts cannot exhaust memory
 * (the oldest are forgotten; their users start again).
 */
public final class PendingOidcLogins {
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 10_000;

    private final Clock clock;
    private final Duration lifetime;
    private final Map<String, PendingOidcLogin> byState = new LinkedHashMap<>();

    public PendingOidcLogins(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public synchronized void put(PendingOidcLogin login) {
        forgetExpired();
        if (byState.size() >= MAX_PENDING) {
            Iterator<String> oldest = byState.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byState.put(login.state(), login);
    }

    /** The login started with {@code state}, removed so it cannot be finished twice; empty when unknown or too old. */
    public synchronized Optional<PendingOidcLogin> take(String state) {
        forgetExpired();
        return Optional.ofNullable(state == null ? null : byState.remove(state));
    }

    private void forgetExpired() {
        var cutoff = clock.instant().minus(lifetime);
        byState.values().removeIf(login -> login.startedAt().isBefore(cutoff));
    }
}
