package dev.cellar.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which data policy file (docs/data-policy.md) governs each database's archives, retention and
 * erasure: {@code database.policy}, or {@code policy:} in a {@code databases:} entry. A database
 * without one falls back to the restaurant_ordering policy shipped with Cellar.
 *
 * @param fileByDatabase the policy file by the database's PostgreSQL name
 */
public record DataPolicyConfig(Map<String, Path> fileByDatabase) {
    public DataPolicyConfig {
        fileByDatabase = Map.copyOf(fileByDatabase);
    }

    public static DataPolicyConfig none() {
        return new DataPolicyConfig(Map.of());
    }

    public Optional<Path> fileOf(String database) {
        return Optional.ofNullable(fileByDatabase.get(database));
    }
}
