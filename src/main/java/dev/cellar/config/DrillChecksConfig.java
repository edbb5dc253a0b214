package dev.cellar.config;

import java.nio.file.Path;

/**
 * The check set a drill runs on every restored copy (docs/drill-checks.md).
 *
 * @param file the {@code drill.checks} file, which replaces the set shipped for the database; null for the shipped one
 */
public record DrillChecksConfig(Path file) {

    public static DrillChecksConfig shipped() {
        return new DrillChecksConfig(null);
    }
}
