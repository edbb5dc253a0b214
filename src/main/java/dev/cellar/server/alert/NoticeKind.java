package dev.cellar.server.alert;

import java.util.Locale;

/** Why a notification is sent: the incident opened, is still open, or was resolved. */
public enum NoticeKind {
    OPENED, REMINDER, RESOLVED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NoticeKind ofWord(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
