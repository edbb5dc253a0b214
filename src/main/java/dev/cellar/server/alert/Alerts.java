package dev.cellar.server.alert;

import dev.cellar.config.AlertsConfig;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the daemon calls: {@link #evaluate} after each observation (findings become incidents and
 * outbox rows), {@link #deliver} on a short timer (the outbox goes out). Both are safe to call
 * from several processes on one catalog.
 */
public final class Alerts {
    private final AlertEvaluator evaluator;
    private final IncidentTracker tracker;
    private final OutboxDelivery delivery;
    private final List<AlertChannel> channels;

    public Alerts(AlertEvaluator evaluator, IncidentTracker tracker, OutboxDelivery delivery, List<AlertChannel> channels) {
        this.evaluator = evaluator;
        this.tracker = tracker;
        this.delivery = delivery;
        this.channels = List.copyOf(channels);
    }

    /**
     * Alerts as configured: every condition, the configured channels (their secrets read now), times
     * from the catalog database's clock.
     *
     * @param clock for the webhook's timestamp header only
     */
    public static Alerts configured(AlertsConfig config, DataSource catalog, Map<String, String> env, Clock clock) {
        List<AlertChannel> channels = AlertChannels.from(config, env, clock);
        CatalogClock catalogClock = CatalogClock.database();
        return new Alerts(new AlertEvaluator(AlertEvaluator.allConditions(), AlertThresholds.of(config)),
                new IncidentTracker(catalog, catalogClock, new IncidentPlanner(Duration.ofMinutes(config.remindMinutes())),
                        channels.stream().map(AlertChannel::name).toList()),
                new OutboxDelivery(catalog, catalogClock, channels, RetryBackoff.DEFAULT), channels);
    }

    public IncidentTracker.TrackResult evaluate(AlertInputs inputs) throws SQLException {
        return tracker.track(evaluator.evaluate(inputs));
    }

    public OutboxDelivery.DeliveryReport deliver() throws SQLException {
        return delivery.deliverDue();
    }

    /** The names of the configured channels; empty when alerts are only recorded. */
    public List<String> channelNames() {
        return channels.stream().map(AlertChannel::name).toList();
    }
}
