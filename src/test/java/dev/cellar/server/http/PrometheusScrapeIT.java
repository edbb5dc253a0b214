package dev.cellar.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.ListenAddress;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.repo.MutableClock;
import dev.cellar.server.metrics.BuildInfo;
import dev.cellar.server.metrics.CellarMetrics;
import dev.cellar.server.metrics.PrometheusPrograms;
import dev.cellar.server.metrics.RunningPrometheus;
import dev.cellar.server.metrics.Snapshots;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real Prometheus (Debian's binary, on a free loopback port, its storage in a temporary folder)
 * scrapes cellar server's HTTP endpoint once a second and answers, through its query API, the values
 * the test published; {@code /health} answers 200, then 503 naming the scheduler once its last tick
 * is too old on the test clock, and 503 naming the catalog once the catalog's PostgreSQL is stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusScrapeIT {
    private static final Duration TICK_AGE = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static MutableClock clock;
    private static CellarMetrics metrics;
    private static LocalCluster catalog;
    private static CellarHttpServer server;
    private static RunningPrometheus prometheus;

    @BeforeAll
    static void startServerAndPrometheus() throws Exception {
        PrometheusPrograms.require("prometheus");
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        metrics = new CellarMetrics(clock, new BuildInfo("test", Runtime.version().toString()));
        catalog = LocalCluster.start(TestFolders.create("cellar-scrape-it-catalog"), PgBinaries.locate(null));
        PGSimpleDataSource catalogSource = new PGSimpleDataSource();
        catalogSource.setUrl(catalog.jdbcUrl("postgres"));
        catalogSource.setUser(catalog.superuser());
        List<HealthProbe> probes = List.of(new SchedulerTickProbe(() -> metrics.latest().scheduler().lastTick(), clock, TICK_AGE),
                new CatalogProbe(catalogSource, Duration.ofSeconds(2)));
        server = CellarHttpServer.start(new ListenAddress("127.0.0.1", 0),
                List.of(new MetricsRoutes(metrics), new HealthRoutes(probes)));
        prometheus = RunningPrometheus.scraping(server.address().toString());
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (server != null) {
            server.close();
        }
        if (catalog != null) {
            catalog.close();
        }
    }

    @Test
    @Order(1)
    void prometheusScrapesThePublishedFiguresAndLoadsTheShippedRules() throws Exception {
        metrics.publish(Snapshots.complete(clock.instant()));

        JsonNode rpo = awaitQuery("cellar_true_rpo_seconds{database=\"restaurant_ordering\"}", result -> result.size() == 1);
        assertThat(rpo.get(0).get("value").get(1).asText()).isEqualTo("90");
        assertThat(rpo.get(0).get("metric").get("job").asText()).isEqualTo("cellar");
        JsonNode failed = awaitQuery("cellar_job_runs_total{status=\"failed\",database=\"payroll\"}", result -> result.size() == 1);
        assertThat(failed.get(0).get("value").get(1).asText()).isEqualTo("2");
        JsonNode behind = awaitQuery("cellar_copy_behind_objects{repository=\"cloud\",kind=\"wal\"}", result -> result.size() == 1);
        assertThat(behind.get(0).get("value").get(1).asText()).isEqualTo("7");
        assertThat(awaitQuery("up{job=\"cellar\"}", result -> result.size() == 1).get(0).get("value").get(1).asText()).isEqualTo("1");

        JsonNode groups = get(prometheus.uri().resolve("/api/v1/rules")).get("data").get("groups");
        assertThat(groups.findValuesAsText("name")).contains("CellarTrueRpoAboveObjective", "CellarMetricsAbsent", "CellarBackupLate");
    }

    @Test
    @Order(2)
    void aDatabaseRemovedFromTheSnapshotGoesStaleInPrometheus() throws Exception {
        metrics.publish(Snapshots.complete(clock.instant()));
        awaitQuery("cellar_true_rpo_seconds{database=\"payroll\"}", result -> result.size() == 1);

        metrics.publish(Snapshots.withoutOtherDatabase(clock.instant()));

        awaitQuery("cellar_true_rpo_seconds{database=\"payroll\"}", JsonNode::isEmpty);
        assertThat(awaitQuery("cellar_true_rpo_seconds", result -> result.size() == 1).get(0).get("metric").get("database").asText())
                .isEqualTo(Snapshots.DATABASE);
    }

    @Test
    @Order(3)
    void healthIsUpWhileTheSchedulerTicksAndDownNamingItWhenItsTickIsTooOld() throws Exception {
        metrics.publish(Snapshots.complete(clock.instant()));

        HttpResponse<String> up = health();
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(JSON.readTree(up.body()).get("status").asText()).isEqualTo("UP");

        clock.advance(TICK_AGE.plusSeconds(60));
        HttpResponse<String> down = health();

        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode report = JSON.readTree(down.body());
        assertThat(report.get("status").asText()).isEqualTo("DOWN");
        JsonNode scheduler = check(report, "scheduler");
        assertThat(scheduler.get("healthy").asBoolean()).isFalse();
        assertThat(scheduler.get("detail").asText()).contains("185 s ago").contains("restart cellar server");
        assertThat(check(report, "catalog").get("healthy").asBoolean()).isTrue();
    }

    @Test
    @Order(4)
    void healthIsDownNamingTheCatalogWhenItsDatabaseStops() throws Exception {
        metrics.publish(Snapshots.complete(clock.instant()));
        assertThat(health().statusCode()).isEqualTo(200);

        catalog.stop();
        HttpResponse<String> down = health();

        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode report = JSON.readTree(down.body());
        assertThat(check(report, "catalog").get("healthy").asBoolean()).isFalse();
        assertThat(check(report, "catalog").get("detail").asText()).contains("does not answer");
        assertThat(check(report, "scheduler").get("healthy").asBoolean()).isTrue();
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode check : report.get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check named " + name + " in " + report);
    }

    private static HttpResponse<String> health() throws IOException, InterruptedException {
        URI uri = URI.create("http://" + server.address() + HealthRoutes.PATH);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Queries Prometheus until the result satisfies {@code done}: scrapes arrive once a second. */
    private static JsonNode awaitQuery(String promql, Predicate<JsonNode> done) throws Exception {
        return prometheus.awaitQuery(promql, done, WAIT);
    }

    private static JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
