package dev.cellar.lifecycle.policy;

import dev.cellar.config.CellarConfig;
import java.nio.file.Path;

/**
 * Finds the data policy a command follows for a database: the file given on the command line,
 * else the one configured for the database ({@code database.policy}), else the restaurant_ordering
 * policy shipped with Cellar.
 */
public final class PolicySource {
    private PolicySource() {
    }

    public static LoadedPolicy load(CellarConfig config, String database, Path givenFile) {
        Path file = givenFile != null ? givenFile : config.dataPolicy().fileOf(database).orElse(null);
        return file == null
                ? new LoadedPolicy(DataPolicyParser.restaurantOrdering(), "restaurant_ordering (shipped)")
                : new LoadedPolicy(DataPolicyParser.parse(file), file.toString());
    }

    /** A policy and where it came from, for messages and audit records. */
    public record LoadedPolicy(DataPolicy policy, String source) {
    }
}
