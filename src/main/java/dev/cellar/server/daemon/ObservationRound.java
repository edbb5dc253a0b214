package dev.cellar.server.daemon;

import dev.cellar.config.CellarConfig;
import dev.cellar.server.alert.Alerts;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.metrics.CellarMetrics;
import java.time.Clock;

/**
 * One kind of look at the world the daemon takes every observation round, after the catalog was
 * brought up to date: it evaluates alerts and publishes metrics from what it sees.
 */
public interface ObservationRound {
    void observe();

    /** Builds a round once the node's catalog, alerts and metrics exist. */
    @FunctionalInterface
    interface Factory {
        ObservationRound create(CellarConfig config, Catalog catalog, Alerts alerts, CellarMetrics metrics, Clock clock);
    }
}
