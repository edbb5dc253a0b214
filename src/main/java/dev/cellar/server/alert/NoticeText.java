package dev.cellar.server.alert;

import java.time.Duration;

/**
 * The words of a notification for a person woken at 3 a.m.: what, where, since when, what to do,
 * in the subject line first and the body after.
 */
public final class NoticeText {
    private NoticeText() {
    }

    /** {@code [Cellar CRITICAL] backup full of restaurant_ordering failed}. */
    public static String subject(Notice notice) {
        String tag = switch (notice.kind()) {
            case OPENED -> notice.severity().name();
            case REMINDER -> notice.severity().name() + ", still open";
            case RESOLVED -> "RESOLVED";
        };
        return "[Cellar " + tag + "] " + notice.summary();
    }

    public static String body(Notice notice) {
        StringBuilder text = new StringBuilder();
        line(text, "What", notice.kind() == NoticeKind.RESOLVED ? "resolved: " + notice.summary() : notice.summary());
        line(text, "Severity", notice.severity().word());
        if (notice.subject() != null) {
            line(text, "Where", notice.subject());
        }
        if (notice.since() != null) {
            line(text, "Since", Texts.instant(notice.since()) + " (" + Texts.duration(Duration.between(notice.since(), notice.at()))
                    + " before this notice)");
        }
        line(text, "Opened", Texts.instant(notice.openedAt()));
        if (notice.kind() == NoticeKind.RESOLVED) {
            line(text, "Resolved", Texts.instant(notice.at()) + ", after " + Texts.duration(Duration.between(notice.openedAt(), notice.at())));
        } else if (notice.kind() == NoticeKind.REMINDER) {
            line(text, "Reminder", "#" + notice.reminder() + "; still open at " + Texts.instant(notice.at()));
        }
        line(text, "Incident", notice.key());
        text.append('\n').append("Details: ").append(notice.details()).append('\n');
        if (notice.kind() != NoticeKind.RESOLVED) {
            text.append('\n').append("What to do: ").append(notice.action()).append('\n');
        } else {
            text.append('\n').append("Nothing to do: the condition is no longer found. No more reminders will be sent.\n");
        }
        text.append('\n').append("-- Cellar; docs/alerts.md explains every alert.\n");
        return text.toString();
    }

    /** One short paragraph for chat: the subject, then where and what to do. */
    public static String chat(Notice notice) {
        StringBuilder text = new StringBuilder(subject(notice));
        if (notice.since() != null && notice.kind() != NoticeKind.RESOLVED) {
            text.append(" (since ").append(Texts.instant(notice.since())).append(')');
        }
        text.append('\n').append(notice.details());
        if (notice.kind() != NoticeKind.RESOLVED) {
            text.append("\nWhat to do: ").append(notice.action());
        }
        return text.toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format("%-9s %s%n", label + ":", value));
    }
}
