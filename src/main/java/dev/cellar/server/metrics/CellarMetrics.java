package dev.cellar.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The metrics of one cellar server node: holds the newest {@link MonitoringSnapshot} the daemon
 * published and turns it into Prometheus text on each scrape. Each scrape derives the samples anew
 * at the clock's current instant, so ages such as the true RPO are exact at scrape time, and a
 * series whose database or repository left the snapshot is removed from the registry, not left
 * behind with its last value.
 */
public final class CellarMetrics {
    /** The Prometheus text exposition format every Prometheus since 2.0 reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Clock clock;
    private final BuildInfo build;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<MetricSample.SeriesKey, Series> series = new HashMap<>();
    private volatile MonitoringSnapshot latest;

    public CellarMetrics(Clock clock, BuildInfo build) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.build = Objects.requireNonNull(build, "build");
        this.latest = MonitoringSnapshot.empty(clock.instant());
    }

    /** Makes {@code snapshot} the one the next scrapes read; the previous one is forgotten. */
    public void publish(MonitoringSnapshot snapshot) {
        latest = Objects.requireNonNull(snapshot, "snapshot");
    }

    /** The snapshot scrapes read now. */
    public MonitoringSnapshot latest() {
        return latest;
    }

    /** Every metric in Prometheus' text format ({@link #CONTENT_TYPE}), as of now. */
    public synchronized String scrape() {
        apply(SnapshotSamples.of(latest, clock.instant(), build));
        return registry.scrape(CONTENT_TYPE);
    }

    /** Sets every sample's series, registering the new ones and removing those no sample names any more. */
    private void apply(List<MetricSample> samples) {
        Set<MetricSample.SeriesKey> present = new HashSet<>();
        for (MetricSample sample : samples) {
            MetricSample.SeriesKey key = sample.key();
            present.add(key);
            series.computeIfAbsent(key, this::register).value = sample.value();
        }
        series.entrySet().removeIf(entry -> {
            if (present.contains(entry.getKey())) {
                return false;
            }
            registry.remove(entry.getValue().meter);
            return true;
        });
    }

    private Series register(MetricSample.SeriesKey key) {
        CellarMetric metric = key.metric();
        Tags tags = Tags.empty();
        for (int i = 0; i < metric.labels().size(); i++) {
            tags = tags.and(metric.labels().get(i), key.labelValues().get(i));
        }
        Series holder = new Series();
        holder.meter = switch (metric.type()) {
            case GAUGE -> Gauge.builder(metric.micrometerName(), holder, s -> s.value).description(metric.help()).tags(tags)
                    .strongReference(true).register(registry);
            case COUNTER -> FunctionCounter.builder(metric.micrometerName(), holder, s -> s.value).description(metric.help())
                    .tags(tags).register(registry);
        };
        return holder;
    }

    /** One exported series: its meter, and the value the meter reports, set before each scrape. */
    private static final class Series {
        private Meter meter;
        private volatile double value;
    }
}
