package dev.cellar.repo;

import dev.cellar.storage.ObjectLockedException;
import java.time.Instant;

/**
 * Deletes the storage refused because the objects are under WORM retention. Expire and gc count
 * them and go on: one locked object must not stop a run half-way, and it will go on a later run.
 *
 * @param count        objects left in place
 * @param latestUntil  the latest retain-until among them (null when none)
 */
public record LockedObjects(int count, Instant latestUntil) {
    public static final LockedObjects NONE = new LockedObjects(0, null);

    public LockedObjects plus(ObjectLockedException refused) {
        Instant until = refused.retention() == null ? latestUntil : refused.retention().retainUntil();
        return new LockedObjects(count + 1, latestUntil == null || (until != null && until.isAfter(latestUntil)) ? until : latestUntil);
    }

    public LockedObjects plus(LockedObjects other) {
        Instant until = latestUntil == null ? other.latestUntil
                : other.latestUntil == null || latestUntil.isAfter(other.latestUntil) ? latestUntil : other.latestUntil;
        return new LockedObjects(count + other.count, until);
    }

    public boolean none() {
        return count == 0;
    }

    /** "3 objects locked until 2033-11-24T02:00:00Z, left in place". */
    public String describe() {
        return count + (count == 1 ? " object" : " objects") + " locked until " + (latestUntil == null ? "a later date" : latestUntil)
                + ", left in place";
    }
}
