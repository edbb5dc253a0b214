package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** drill.checks: unset means the shipped check set; set in the file or in CELLAR_DRILL_CHECKS, it names the file that replaces it. */
class DrillChecksConfigTest {
    @TempDir
    Path dir;

    @Test
    void unsetMeansTheShippedSet() throws IOException {
        CellarConfig config = ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), "database:\n  name: shop\n"), Map.of(), Map.of());

        assertThat(config.drill().checks()).isNull();
    }

    @Test
    void theFileOrTheVariableNamesTheCheckSet() throws IOException {
        Path file = Files.writeString(dir.resolve("cellar.yaml"), "drill:\n  checks: shop-checks.yaml\n");

        assertThat(ConfigLoader.load(file, Map.of(), Map.of()).drill().checks().getFileName()).hasToString("shop-checks.yaml");
        assertThat(ConfigLoader.load(file, Map.of("CELLAR_DRILL_CHECKS", "/etc/cellar/other.yaml"), Map.of()).drill().checks())
                .hasToString("/etc/cellar/other.yaml");
    }
}
