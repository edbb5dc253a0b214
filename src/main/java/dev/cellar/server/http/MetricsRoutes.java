package dev.cellar.server.http;

import dev.cellar.server.metrics.CellarMetrics;
import io.javalin.config.RoutesConfig;
import java.util.Objects;

/** {@code GET /metrics}: every metric of this node in Prometheus' text format. */
public final class MetricsRoutes implements HttpRoutes {
    public static final String PATH = "/metrics";

    private final CellarMetrics metrics;

    public MetricsRoutes(CellarMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(PATH, ctx -> ctx.contentType(CellarMetrics.CONTENT_TYPE).result(metrics.scrape()));
    }
}
