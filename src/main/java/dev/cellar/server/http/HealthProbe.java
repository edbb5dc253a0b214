package dev.cellar.server.http;

/**
 * Asks one part of cellar server whether it works. Called on every {@code GET /health}, so it must
 * answer within a second or two and never throw: a failure is an unhealthy {@link HealthCheck}.
 */
@FunctionalInterface
public interface HealthProbe {
    HealthCheck check();
}
