package dev.cellar.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * WORM retention of one object: until {@code retainUntil} it can be neither overwritten nor
 * deleted. The modes mean what S3 Object Lock means by them: GOVERNANCE can be lifted by a
 * privileged user, COMPLIANCE by no one, not even the account root.
 */
public record Retention(Mode mode, Instant retainUntil) {

    public enum Mode { GOVERNANCE, COMPLIANCE }

    public Retention {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(retainUntil, "retainUntil");
    }

    public boolean activeAt(Instant now) {
        return retainUntil.isAfter(now);
    }

    /** The later of the two (a retention can only ever be extended). */
    public Retention atLeast(Retention other) {
        if (other == null || !other.retainUntil.isAfter(retainUntil)) {
            return this;
        }
        return new Retention(mode == Mode.COMPLIANCE || other.mode == Mode.COMPLIANCE ? Mode.COMPLIANCE : Mode.GOVERNANCE,
                other.retainUntil);
    }
}
