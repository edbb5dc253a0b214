package dev.cellar.web.ui;

import java.time.Instant;

/** One alert incident as the alerts page lists it. */
public record AlertLine(long id, String severity, String condition, String subject, String summary, String details, String action,
        Instant openedAt, Instant acknowledgedAt, String acknowledgedBy, Instant resolvedAt) {
    public static final String OPEN = "open";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String RESOLVED = "resolved";

    /** Open until someone acknowledges it, acknowledged until the problem goes away, then resolved. */
    public String state() {
        if (resolvedAt != null) {
            return RESOLVED;
        }
        return acknowledgedAt == null ? OPEN : ACKNOWLEDGED;
    }
}
