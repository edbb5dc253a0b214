package dev.cellar.web.api;

import java.util.Arrays;

/** The long operations the REST API runs in the background, and which of them take the repository lock exclusively. */
public enum OperationKind {
    BACKUP_LOGICAL("backup-logical", false),
    BACKUP_PHYSICAL("backup-physical", false),
    VERIFY("verify", false),
    RESTORE("restore", false),
    EXPIRE("expire", true),
    GC("gc", true),
    UNLOCK("unlock", false),
    SYNC("sync", false),
    CATALOG_REBUILD("catalog-rebuild", false);

    private final String word;
    private final boolean exclusiveLock;

    OperationKind(String word, boolean exclusiveLock) {
        this.word = word;
        this.exclusiveLock = exclusiveLock;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String word() {
        return word;
    }

    /** Whether it holds the repository lock exclusively, so that a second such operation waits for it and may fail LOCKED. */
    public boolean exclusiveLock() {
        return exclusiveLock;
    }

    public static OperationKind ofWord(String word) {
        return Arrays.stream(values()).filter(k -> k.word.equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown operation kind '" + word + "'"));
    }
}
