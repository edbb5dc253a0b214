package dev.cellar.server.monitor;

import dev.cellar.server.alert.AlertInputs;
import dev.cellar.server.metrics.MonitoringSnapshot;
import java.util.List;
import java.util.Objects;

/**
 * One observation round: the alert conditions' inputs and the metrics snapshot, made from the
 * same facts at the same instant, so an alert and the figure on the dashboard never disagree.
 *
 * @param notes what could not be read this round, one line each, for the server's log
 */
public record Observation(AlertInputs alerts, MonitoringSnapshot metrics, List<String> notes) {
    public Observation {
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(metrics, "metrics");
        notes = List.copyOf(notes);
    }
}
