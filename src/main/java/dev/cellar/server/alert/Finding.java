package dev.cellar.server.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing wrong, as a condition sees it now. Two findings with the same key are the same
 * incident: while a key keeps being found the incident stays open, and when it is no longer
 * found (by a condition that could judge it) the incident is resolved.
 *
 * @param condition the condition that found it, e.g. {@code job-failed}
 * @param key       condition and subject, stable across evaluations, e.g. {@code backup-failed:restaurant_ordering:full}
 * @param subject   what it is about: a database, or a repository copy
 * @param summary   one line: what is wrong
 * @param details   the figures behind it
 * @param action    what the DBA should do
 * @param since     when the problem began, as far as the condition can tell
 */
public record Finding(String condition, String key, Severity severity, String subject, String summary, String details,
        String action, Instant since) {
    public Finding {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(action, "action");
    }

    /** A key made of a name and its subject parts, the absent parts left out: {@code name:part:part}. */
    static String key(String name, String... parts) {
        StringBuilder key = new StringBuilder(name);
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                key.append(':').append(part);
            }
        }
        return key.toString();
    }
}
