package dev.cellar.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.repo.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules, their tests, the Grafana dashboard and docs/monitoring.md name only metrics
 * that cellar server really exports: the names are compared with the registry's own output after a
 * snapshot with every figure set. An alert on a metric nobody emits never fires, and nobody notices.
 */
class ShippedMonitoringNamesOnlyEmittedMetricsTest {
    private static final Pattern METRIC_NAME = Pattern.compile("\\bcellar_[a-z0-9_]+\\b");
    private static final Instant NOW = Instant.parse("2027-03-01T10:00:00Z");

    @Test
    void theAlertingRulesNameOnlyEmittedMetrics() throws IOException {
        Set<String> named = namesIn(Files.readString(MonitoringFiles.rules()));

        assertThat(named).as("metric names in " + MonitoringFiles.rules().getFileName()).isNotEmpty().isSubsetOf(emitted());
    }

    @Test
    void thePromtoolTestsFeedOnlyEmittedMetrics() throws IOException {
        for (Path file : MonitoringFiles.rulesTests()) {
            Set<String> named = namesIn(Files.readString(file));

            assertThat(named).as("metric names in " + file.getFileName()).isNotEmpty().isSubsetOf(emitted());
        }
    }

    @Test
    void theGrafanaDashboardQueriesOnlyEmittedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(MonitoringFiles.dashboard().toFile());
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(expr -> queries.add(expr.asText()));
        dashboard.findValues("definition").forEach(def -> queries.add(def.asText()));
        Set<String> named = namesIn(String.join("\n", queries));

        assertThat(queries).as("queries of the dashboard").isNotEmpty();
        assertThat(named).as("metric names queried by the dashboard").isSubsetOf(emitted());
        assertThat(namesIn(Files.readString(MonitoringFiles.dashboard()))).as("metric names anywhere in the dashboard")
                .isSubsetOf(emitted());
    }

    @Test
    void theMonitoringGuideDocumentsEveryMetricAndNoOther() throws IOException {
        Set<String> named = namesIn(Files.readString(MonitoringFiles.guide()));

        assertThat(named).as("metric names in docs/monitoring.md").containsExactlyInAnyOrderElementsOf(emitted());
    }

    @Test
    void everyDefinedMetricIsEmittedWhenEveryFigureIsSet() {
        assertThat(emitted()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(CellarMetric.values()).map(CellarMetric::prometheusName).toList());
    }

    /** What the registry really writes with every figure set, not what the enum says. */
    private static Set<String> emitted() {
        CellarMetrics metrics = new CellarMetrics(new MutableClock(NOW), BuildInfo.current());
        metrics.publish(Snapshots.complete(NOW));
        return new TreeSet<>(ExportedNames.of(metrics.scrape()));
    }

    private static Set<String> namesIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC_NAME.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
