package dev.cellar.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP side of cellar server: where {@code /metrics} and {@code /health} listen, and how old
 * the scheduler's last look for due jobs may be before {@code /health} says the server is down.
 */
public record ServerHttpConfig(ListenAddress listen, Duration healthTickAge) {
    /**
     * Loopback, so a fresh install shows database names to no one; port 9188, beside the 9187 of
     * postgres_exporter that usually runs on the same host, and clear of the PostgreSQL exporters
     * often installed next to it (pgbouncer_exporter 9127, pgbackrest_exporter 9854).
     */
    public static final ListenAddress DEFAULT_LISTEN = new ListenAddress("127.0.0.1", 9188);
    /** Four times a scheduler that looks every 30 s: one slow look is not an outage. */
    public static final int DEFAULT_HEALTH_TICK_AGE_SECONDS = 120;

    public ServerHttpConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(healthTickAge, "healthTickAge");
    }
}
