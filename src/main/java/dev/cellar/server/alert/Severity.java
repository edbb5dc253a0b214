package dev.cellar.server.alert;

import java.util.Locale;

/** How urgent a finding is: a warning can wait for the morning, a critical one cannot. */
public enum Severity {
    WARNING, CRITICAL;

    /** The lowercase word stored in the catalog and shown in texts. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity ofWord(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
