package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

/**
 * A read refused because the object sits in an archive storage class (Glacier Flexible
 * Retrieval, Deep Archive) and has not been thawed.
 */
public final class ObjectArchivedException extends CellarException {
    private final String key;
    private final String storageClass;

    public ObjectArchivedException(String key, String storageClass, String location, boolean thawing) {
        super(ErrorCode.OBJECT_ARCHIVED, "object " + key + " in " + location + " is in storage class " + storageClass
                        + (thawing ? " and its thaw is still in progress" : " and must be thawed before it can be read"),
                thawing ? "wait for the restore request to finish (Glacier: minutes to 12 hours, Deep Archive: up to 48 hours), then retry"
                        : "start the thaw ('cellar restore pitr ... --restore-request' does it for the WAL a recovery needs, "
                        + "or aws s3api restore-object), then retry once it has finished");
        this.key = key;
        this.storageClass = storageClass;
    }

    public String key() {
        return key;
    }

    public String storageClass() {
        return storageClass;
    }
}
