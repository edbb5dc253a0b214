package dev.cellar.config;

import dev.cellar.server.schedule.Schedule;
import java.util.Map;
import java.util.Optional;

/**
 * When {@code cellar server} archives each scheduled database's ended month and runs its data
 * policy's retention, by the database's schedule name. Both are off unless configured: retention
 * deletes production rows, and an archive locked for years is not to be started by surprise
 * (docs/data-lifecycle.md).
 */
public record DataLifecycleSchedules(Map<String, Schedule> archive, Map<String, Schedule> retention) {
    public static final String DEFAULT = "off";

    public DataLifecycleSchedules {
        archive = Map.copyOf(archive);
        retention = Map.copyOf(retention);
    }

    public Optional<Schedule> archiveOf(String scheduledDatabase) {
        return Optional.ofNullable(archive.get(scheduledDatabase));
    }

    public Optional<Schedule> retentionOf(String scheduledDatabase) {
        return Optional.ofNullable(retention.get(scheduledDatabase));
    }
}
