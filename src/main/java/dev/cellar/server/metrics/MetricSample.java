package dev.cellar.server.metrics;

import java.util.List;
import java.util.Objects;

/**
 * One value of one metric for one set of label values, e.g. {@code cellar_true_rpo_seconds} for
 * database {@code restaurant_ordering}: what {@link SnapshotSamples} derives and the registry exports.
 *
 * @param labelValues the values of {@link CellarMetric#labels()}, in the same order
 */
public record MetricSample(CellarMetric metric, List<String> labelValues, double value) {
    public MetricSample {
        Objects.requireNonNull(metric, "metric");
        labelValues = List.copyOf(labelValues);
        if (labelValues.size() != metric.labels().size()) {
            throw new IllegalArgumentException(metric.prometheusName() + " takes labels " + metric.labels() + ", got " + labelValues);
        }
    }

    static MetricSample of(CellarMetric metric, double value, String... labelValues) {
        return new MetricSample(metric, List.of(labelValues), value);
    }

    /** What identifies the sample's series: the metric and its label values. */
    SeriesKey key() {
        return new SeriesKey(metric, labelValues);
    }

    record SeriesKey(CellarMetric metric, List<String> labelValues) {
    }
}
