package dev.cellar.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped alerting rules pass Prometheus' own checks: {@code promtool check rules} (syntax,
 * PromQL, templates) and {@code promtool test rules} (each alert fires, and only when it should,
 * on the realistic series of cellar.rules.test.yml and cellar.rules.days.test.yml).
 */
class PrometheusRulesIT {

    @Test
    void promtoolAcceptsTheShippedRules() throws Exception {
        Path promtool = PrometheusPrograms.require("promtool");

        Result result = run(List.of(promtool.toString(), "check", "rules", MonitoringFiles.rules().toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 12 rules found");
    }

    @Test
    void promtoolUnitTestsOfTheShippedRulesPass() throws Exception {
        Path promtool = PrometheusPrograms.require("promtool");

        List<String> command = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
        MonitoringFiles.rulesTests().forEach(file -> command.add(file.toString()));

        Result result = run(command);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("FAILED");
        assertThat(result.output().split("SUCCESS", -1)).as("one SUCCESS per test file: " + result.output())
                .hasSize(MonitoringFiles.rulesTests().size() + 1);
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(MonitoringFiles.folder().toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool did not finish within 60 s: " + output);
        }
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
