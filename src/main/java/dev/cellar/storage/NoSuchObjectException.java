package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

/** The storage holds no object under the key asked for. */
public final class NoSuchObjectException extends CellarException {
    private final String key;

    public NoSuchObjectException(String key, String location) {
        super(ErrorCode.NOT_FOUND, "object " + key + " does not exist in " + location);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
