package dev.cellar.server.alert;

import java.time.Instant;

/** An incident the catalog holds as open, as the planner needs it. */
public record OpenIncident(long id, String key, String condition, Severity severity, Instant openedAt, Instant lastNotifiedAt,
        int reminders) {
}
