package dev.cellar.server.metrics;

import java.nio.file.Path;
import java.util.List;

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

    /** The promtool unit tests of the rules: one file on a minute scale, one on a scale of hours and days. */
    public static List<Path> rulesTests() {
        return List.of(folder().resolve("cellar.rules.test.yml"), folder().resolve("cellar.rules.days.test.yml"));
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
