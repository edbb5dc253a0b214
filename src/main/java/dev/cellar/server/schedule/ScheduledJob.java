package dev.cellar.server.schedule;

import dev.cellar.config.ScheduledDatabase;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One job of the plan: what runs ({@code kind}), for which database, when, and for how long at
 * most. The {@code key} is stable across restarts and nodes, so (key, scheduled instant) names
 * one run exactly once in the catalog.
 *
 * @param key      e.g. {@code full:restaurant_ordering}, {@code sync}
 * @param kind     the {@link JobKind#name()} that runs it
 * @param database null for a repository-wide job (sync)
 */
public record ScheduledJob(String key, String kind, ScheduledDatabase database, Schedule schedule, Duration timeout) {

    public ScheduledJob {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timeout, "timeout");
    }

    public Optional<ScheduledDatabase> databaseIfAny() {
        return Optional.ofNullable(database);
    }
}
