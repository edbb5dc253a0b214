package dev.cellar.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import java.util.List;

/**
 * {@code GET /health}: 200 when every probe is healthy, 503 otherwise, with a small JSON body
 * naming each check, for systemd watchdogs, load balancers and Kubernetes probes.
 */
public final class HealthRoutes implements HttpRoutes {
    public static final String PATH = "/health";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<HealthProbe> probes;

    public HealthRoutes(List<HealthProbe> probes) {
        this.probes = List.copyOf(probes);
    }

    /** Asks every probe now. */
    public HealthReport report() {
        return HealthReport.of(probes.stream().map(HealthRoutes::safely).toList());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(PATH, ctx -> {
            HealthReport report = report();
            ctx.status(report.healthy() ? 200 : 503).contentType("application/json").result(JSON.writeValueAsString(report));
        });
    }

    /** A probe that throws despite its contract still yields an answer that names it. */
    private static HealthCheck safely(HealthProbe probe) {
        try {
            return probe.check();
        } catch (RuntimeException e) {
            return new HealthCheck(probe.getClass().getSimpleName(), false, "the check failed: " + e);
        }
    }
}
