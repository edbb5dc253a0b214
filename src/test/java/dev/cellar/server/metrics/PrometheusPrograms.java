package dev.cellar.server.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code prometheus} and {@code promtool}, for the tests that run the real Prometheus.
 * Without them those tests are skipped with the line that installs them (.ci/run does).
 */
public final class PrometheusPrograms {
    private PrometheusPrograms() {
    }

    /** The program's path; skips the calling test when it is not on the PATH. */
    public static Path require(String program) {
        Optional<Path> found = onPath(program);
        Assumptions.assumeTrue(found.isPresent(), () -> "Prometheus tests skipped: " + program + " not found on the PATH; install it with"
                + " 'apt-get install --no-install-recommends prometheus' (.ci/run does)");
        return found.orElseThrow();
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
