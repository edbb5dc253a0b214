package dev.cellar.server.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * What one notification says, whatever channel carries it: stored as the outbox row's payload, so
 * a notification sent an hour late says what was true when it was written.
 *
 * @param incidentId  the catalog's id of the incident
 * @param since       when the problem began; null when unknown
 * @param at          when this notice was written (opened, reminded or resolved)
 * @param reminder    0 for the first notice, n for the n-th reminder
 */
public record Notice(long incidentId, String key, String condition, NoticeKind kind, Severity severity, String subject,
        String summary, String details, String action, Instant since, Instant openedAt, Instant at, int reminder) {
    public Notice {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(at, "at");
    }
}
