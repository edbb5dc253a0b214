package dev.cellar.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigFileLocatorTest {
    @TempDir
    Path dir;

    @Test
    void cellarYamlInWorkingFolderIsUsedWhenNothingElseIsGiven() throws IOException {
        Path implicit = Files.writeString(dir.resolve("cellar.yaml"), "");

        assertThat(new ConfigFileLocator(dir).locate(null, Map.of())).contains(implicit);
    }

    @Test
    void noFileAnywhereMeansNoFile() {
        assertThat(new ConfigFileLocator(dir).locate(null, Map.of())).isEmpty();
    }

    @Test
    void explicitFileWinsOverCellarConfigWhichWinsOverWorkingFolder() throws IOException {
        Files.writeString(dir.resolve("cellar.yaml"), "");
        Path fromEnv = Files.writeString(dir.resolve("env.yaml"), "");
        Path explicit = Files.writeString(dir.resolve("flag.yaml"), "");
        Map<String, String> env = Map.of("CELLAR_CONFIG", fromEnv.toString());

        assertThat(new ConfigFileLocator(dir).locate(explicit, env)).contains(explicit);
        assertThat(new ConfigFileLocator(dir).locate(null, env)).contains(fromEnv);
    }
}
