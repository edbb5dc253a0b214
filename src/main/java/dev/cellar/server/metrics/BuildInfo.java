package dev.cellar.server.metrics;

import java.util.Objects;

/**
 * Which Cellar and which Java a node runs, exported as the labels of {@code cellar_build_info} so a
 * dashboard shows the nodes still on an old version after an upgrade.
 */
public record BuildInfo(String version, String javaVersion) {
    public BuildInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(javaVersion, "javaVersion");
    }

    /** This process: the jar's version when it has one, and the running Java's. */
    public static BuildInfo current() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        return new BuildInfo(version == null ? "development" : version, Runtime.version().toString());
    }
}
