package dev.cellar.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * An object of the repository that a versioned bucket still holds but no longer shows as it is:
 * its newest version is a delete marker, or a version that does not authenticate, while an older
 * version is intact. Cellar never overwrites its objects and never deletes a locked one, so such
 * an object was hidden by another client (or, for a delete marker over an unlocked version, by
 * Cellar's own expire or gc: the audit trail tells which).
 *
 * @param key       the repository key
 * @param versionId the newest intact version, the one a repair makes current again
 * @param kind      what hides it
 * @param hiddenAt  when the delete marker or the newer version was written
 * @param retention the intact version's lock, or null when it has none (or it was not asked)
 */
public record HiddenObject(String key, String versionId, Kind kind, Instant hiddenAt, Retention retention) {

    public enum Kind {
        /** the newest version is a delete marker */
        BEHIND_DELETE_MARKER,
        /** the newest version is another object (it does not authenticate) */
        OVERWRITTEN
    }

    public HiddenObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(kind, "kind");
    }

    public HiddenObject withRetention(Retention lock) {
        return new HiddenObject(key, versionId, kind, hiddenAt, lock);
    }

    /** "behind a delete marker written 2026-..., version X (compliance lock until ...) intact". */
    public String describe() {
        String what = kind == Kind.BEHIND_DELETE_MARKER ? "hidden behind a delete marker" : "overwritten by an object that does not authenticate";
        return what + (hiddenAt == null ? "" : " written " + hiddenAt) + "; its version " + versionId
                + (retention == null ? "" : " (" + retention.mode().name().toLowerCase(java.util.Locale.ROOT) + " lock until "
                + retention.retainUntil() + ")") + " is intact";
    }
}
