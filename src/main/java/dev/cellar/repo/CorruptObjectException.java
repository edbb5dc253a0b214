package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

/** A repository object is missing, fails authentication, or does not match its id. */
public final class CorruptObjectException extends CellarException {
    private final String objectKey;

    public CorruptObjectException(String objectKey, String problem) {
        super(ErrorCode.INTEGRITY, "repository object " + objectKey + " " + problem,
                "run 'cellar verify --all' to see every damaged backup; restore from another copy of the repository if you have one");
        this.objectKey = objectKey;
    }

    public String objectKey() {
        return objectKey;
    }
}
