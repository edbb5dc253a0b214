package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

/**
 * The storage refused a write because this process may not write there: a read-only mount or
 * snapshot, a folder without write permission for this user, credentials that only allow reads,
 * or {@link ReadOnlyStorage}. Commands that only read go on without writing (see
 * {@code RepositoryLock#acquireForReading}); commands that write fail with it.
 */
public final class WriteRefusedException extends CellarException {
    private final String key;
    private final String reason;

    public WriteRefusedException(ErrorCode code, String key, String location, String reason, Throwable cause) {
        super(code, "cannot write " + key + " in repository " + location + ": " + reason,
                "list, show, verify, restore and audit read a read-only repository as it is; backup, expire, gc and unlock "
                        + "need it writable (remount it read-write, run as a user that may write it, or use S3 credentials that may write)", cause);
        this.key = key;
        this.reason = reason;
    }

    public String key() {
        return key;
    }

    /** Why writes are refused, in a few words, for notices ("Read-only file system", "AccessDenied"). */
    public String reason() {
        return reason;
    }
}
