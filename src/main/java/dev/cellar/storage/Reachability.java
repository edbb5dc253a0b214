package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

/**
 * Tells a storage that did not answer from one that answered about an object. The difference
 * decides what a command does next: a copy that did not answer is reported and left out (the
 * others go on), while an answer (absent, damaged, a write refused) is about the object itself.
 */
public final class Reachability {
    private Reachability() {
    }

    /**
     * Whether the storage itself did not answer (network, server down, every retry spent), as
     * opposed to answering about this object: absent, or a write it refuses (a read-only key).
     */
    public static boolean unreachable(CellarException e) {
        return e.code() == ErrorCode.STORAGE_UNAVAILABLE && !(e instanceof NoSuchObjectException) && !(e instanceof WriteRefusedException);
    }
}
