package dev.cellar.server.http;

import java.util.Objects;

/**
 * The answer of one part of cellar server to "are you working?".
 *
 * @param name    the part, e.g. {@code scheduler} or {@code catalog}
 * @param healthy whether it works
 * @param detail  one line for the operator: what was seen, and on failure what is wrong
 */
public record HealthCheck(String name, boolean healthy, String detail) {
    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }
}
