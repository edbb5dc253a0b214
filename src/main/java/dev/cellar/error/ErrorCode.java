package dev.cellar.error;

/**
 * Stable error codes. Each maps to one process exit code, documented in docs/exit-codes.md;
 * scripts and the REST API rely on them, so never renumber an existing code.
 */
public enum ErrorCode {
    INTERNAL(1, "internal error"),
    USAGE(2, "bad command-line usage"),
    CONFIG_INVALID(3, "configuration is missing or invalid"),
    REPOSITORY_INVALID(4, "repository missing, not initialised or unreadable"),
    WRONG_KEY(5, "wrong passphrase or key file"),
    DATABASE_UNREACHABLE(6, "database cannot be reached"),
    BINARY_MISSING(7, "PostgreSQL program missing or too old"),
    TARGET_EXISTS(8, "restore target already exists"),
    STORAGE_FULL(9, "no space left in the repository or work folder"),
    INTEGRITY(10, "repository object corrupt or missing"),
    LOCKED(11, "repository is locked by another writer"),
    NOT_FOUND(12, "no such backup or object"),
    VERIFY_FAILED(13, "verification found a mismatch"),
    EXTERNAL_TOOL_FAILED(14, "a PostgreSQL program failed"),
    INTERRUPTED(15, "operation interrupted"),
    WAL_CONFLICT(16, "a different WAL file of that name is already archived"),
    TARGET_UNREACHABLE(17, "recovery target outside what the repository can reach"),
    OBJECT_LOCKED(18, "object is under WORM retention and cannot be changed yet"),
    OBJECT_ARCHIVED(19, "object sits in an archive storage class and must be thawed first"),
    STORAGE_UNAVAILABLE(20, "object storage unreachable or refusing requests"),
    GLOBALS_MISSING(21, "the restore target lacks roles or tablespaces the backup needs"),
    /** The command did its work with the copies it could reach; at least one copy could not be reached. */
    PARTIAL(22, "done with the copies that could be reached; at least one copy could not be"),
    /** expire or gc refused: the host clock is too far from the storage server's, whose clock ends WORM locks. */
    CLOCK_SKEW(23, "this host's clock is more than a minute off the storage server's"),
    DRILL_FAILED(24, "a DR drill or an audit report found a failed check or a missed objective"),
    /** recover refused: other sessions are connected to the database it would replace (docs/recover.md). */
    DATABASE_IN_USE(25, "the database to recover has live connections"),
    /** recover stopped or finished badly because a pre- or post-hook failed or timed out (docs/recover.md). */
    HOOK_FAILED(26, "a recovery hook command failed"),

    // key slots (docs/keys.md)
    /** The HSM refused the token PIN (CKR_PIN_INCORRECT, or the PIN is locked). */
    HSM_PIN_REFUSED(27, "the HSM token refused the PIN"),
    /** The PKCS#11 library, the token or the key label configured is not there. */
    HSM_KEY_MISSING(28, "the HSM library, token or key is missing"),
    /** KMS could not be reached (network, endpoint, region). */
    KMS_UNREACHABLE(29, "the key management service cannot be reached"),
    /** KMS answered but refused: access denied, key disabled, wrong key or encryption context. */
    KMS_REFUSED(30, "the key management service refused the request"),
    /** key remove refused: the last key slot, or no such slot. */
    KEY_SLOT_REFUSED(31, "the key slot change was refused");

    private final int exitCode;
    private final String summary;

    ErrorCode(int exitCode, String summary) {
        this.exitCode = exitCode;
        this.summary = summary;
    }

    public int exitCode() {
        return exitCode;
    }

    public String summary() {
        return summary;
    }
}
