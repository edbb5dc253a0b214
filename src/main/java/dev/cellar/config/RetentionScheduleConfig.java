package dev.cellar.config;

import dev.cellar.server.schedule.Schedule;
import java.util.Map;
import java.util.Optional;

/**
 * When {@code cellar server} runs {@code retention apply} on each scheduled database, by the
 * database's schedule name. Off unless configured: retention deletes from production, so an
 * operator turns it on knowingly (docs/data-lifecycle.md).
 */
public record RetentionScheduleConfig(Map<String, Schedule> byDatabase) {
    /** Retention deletes production rows: nothing runs until an operator asks for it. */
    public static final String DEFAULT = "off";

    public RetentionScheduleConfig {
        byDatabase = Map.copyOf(byDatabase);
    }

    public Optional<Schedule> of(String scheduledDatabase) {
        return Optional.ofNullable(byDatabase.get(scheduledDatabase));
    }
}
