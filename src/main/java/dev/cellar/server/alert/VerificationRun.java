package dev.cellar.server.alert;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One verification or restore test of a database's backups and its verdict.
 *
 * @param detail what failed, for a failed run; null otherwise
 */
public record VerificationRun(String database, Kind kind, Instant finished, boolean passed, String detail) {
    /** VERIFY: {@code cellar verify} read the backups back; RESTORE_TEST: a backup was restored and checked. */
    public enum Kind {
        VERIFY, RESTORE_TEST;

        String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        String described() {
            return this == VERIFY ? "verification" : "restore test";
        }
    }

    public VerificationRun {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(finished, "finished");
    }
}
