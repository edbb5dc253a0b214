package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

/** A delete or overwrite refused because the object is under WORM retention. */
public final class ObjectLockedException extends CellarException {
    private final String key;
    private final transient Retention retention;

    public ObjectLockedException(String key, Retention retention, String location) {
        super(ErrorCode.OBJECT_LOCKED, "object " + key + " in " + location + " is locked ("
                        + retention.mode().name().toLowerCase(java.util.Locale.ROOT) + ") until " + retention.retainUntil(),
                "WORM retention cannot be shortened; the object can be removed after that date");
        this.key = key;
        this.retention = retention;
    }

    public String key() {
        return key;
    }

    public Retention retention() {
        return retention;
    }
}
