package dev.cellar.server.http;

import io.javalin.config.RoutesConfig;

/**
 * A group of endpoints added to cellar server's one HTTP server. Monitoring adds {@code /metrics}
 * and {@code /health}; the REST API and the dashboard add theirs the same way, without touching
 * {@link CellarHttpServer}.
 */
@FunctionalInterface
public interface HttpRoutes {
    void addTo(RoutesConfig routes);
}
