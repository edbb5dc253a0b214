package dev.cellar.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON of a {@link Notice}: the outbox payload and the {@code incident} of a webhook body.
 * Snake-case names and ISO-8601 instants, so a receiver in any language reads it.
 */
final class NoticeJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private NoticeJson() {
    }

    static String write(Notice notice) {
        try {
            return MAPPER.writeValueAsString(new Stored(notice));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notice could not be written as JSON", e);
        }
    }

    static Notice read(String json) {
        try {
            return MAPPER.readValue(json, Stored.class).notice();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an outbox payload is not a notice: " + e.getOriginalMessage(), e);
        }
    }

    /** The notice with lowercase words for its enums, as receivers see them. */
    record Stored(long incidentId, String key, String condition, String kind, String severity, String subject, String summary,
            String details, String action, java.time.Instant since, java.time.Instant openedAt, java.time.Instant at, int reminder) {
        Stored(Notice n) {
            this(n.incidentId(), n.key(), n.condition(), n.kind().word(), n.severity().word(), n.subject(), n.summary(), n.details(),
                    n.action(), n.since(), n.openedAt(), n.at(), n.reminder());
        }

        Notice notice() {
            return new Notice(incidentId, key, condition, NoticeKind.ofWord(kind), Severity.ofWord(severity), subject, summary, details,
                    action, since, openedAt, at, reminder);
        }
    }
}
