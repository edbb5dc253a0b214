package dev.cellar.server.metrics;

import java.nio.file.Path;

/** The monitoring files Cellar ships in docs/, found from the project folder the build runs in. */
public final class MonitoringFiles {
    private MonitoringFiles() {
    }

    public static Path folder() {
        return projectFolder().resolve("docs").resolve("monitoring");
    }

    public static Path rules() {
        return folder().resolve("cellar.rules.yml");
    }

    public static Path rulesTests() {
        return folder().resolve("cellar.rules.test.yml");
    }

    public static Path dashboard() {
        return folder().resolve("cellar-grafana.json");
    }

    public static Path guide() {
        return projectFolder().resolve("docs").resolve("monitoring.md");
    }

    private static Path projectFolder() {
        String basedir = System.getProperty("basedir");
        return basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
    }
}
