package dev.cellar.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.it.TestFolders;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Debian's Prometheus, started for a test with the shipped rules and one scrape job named
 * {@code cellar} (as docs/monitoring.md configures it) every second; queried over its HTTP API.
 * Skips the calling test, with the install line, when Prometheus is not installed.
 */
public final class RunningPrometheus implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration READY = Duration.ofSeconds(30);

    private final Process process;
    private final URI uri;
    private final Path log;

    private RunningPrometheus(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /** Starts Prometheus scraping {@code target} ({@code host:port}) and waits until it is ready. */
    public static RunningPrometheus scraping(String target) throws Exception {
        Path program = PrometheusPrograms.require("prometheus");
        Path folder = TestFolders.create("cellar-prometheus");
        Path config = folder.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: cellar
                    static_configs:
                      - targets: ['%s']
                """.formatted(MonitoringFiles.rules().toAbsolutePath(), target));
        int port = freePort();
        URI uri = URI.create("http://127.0.0.1:" + port);
        Path log = folder.resolve("prometheus.log");
        Process process = new ProcessBuilder(program.toString(), "--config.file=" + config, "--storage.tsdb.path=" + folder.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RunningPrometheus prometheus = new RunningPrometheus(process, uri, log);
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(uri.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return prometheus;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        prometheus.close();
        throw new IllegalStateException("prometheus was not ready within " + READY.toSeconds() + " s: " + Files.readString(log));
    }

    public URI uri() {
        return uri;
    }

    /** The {@code data.result} of an instant query. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        URI query = uri.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(query + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("data").get("result");
    }

    /** Queries until {@code done} holds for the result, for at most {@code timeout}. */
    public JsonNode awaitQuery(String promql, Predicate<JsonNode> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode result = null;
        while (System.nanoTime() < deadline) {
            result = query(promql);
            if (done.test(result)) {
                return result;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus' answer to " + promql + " stayed " + result + " for " + timeout.toSeconds() + " s; its log:\n"
                + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
