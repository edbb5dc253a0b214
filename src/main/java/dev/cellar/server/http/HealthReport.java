package dev.cellar.server.http;

import java.util.List;

/**
 * What {@code GET /health} answers: healthy only when every check is, with every check listed so
 * the operator sees which part failed.
 *
 * @param status {@code UP} or {@code DOWN}
 */
public record HealthReport(String status, List<HealthCheck> checks) {
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    public HealthReport {
        checks = List.copyOf(checks);
    }

    public static HealthReport of(List<HealthCheck> checks) {
        return new HealthReport(checks.stream().allMatch(HealthCheck::healthy) ? UP : DOWN, checks);
    }

    public boolean healthy() {
        return UP.equals(status);
    }
}
