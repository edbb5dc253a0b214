package dev.cellar.backup;

import dev.cellar.repo.PhysicalInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides which files an incremental backup may take from its parent without reading them:
 * same size and modification time, and a modification time comfortably before the parent
 * started. The margin is pgBackRest's rule: a file changed in the same second it was copied can
 * keep its size and (coarse) timestamp while its content differs from the copy.
 */
public final class UnchangedFiles {
    public static final Duration SAFETY_MARGIN = Duration.ofSeconds(3);

    private final Map<String, PhysicalInfo.FileEntry> parentFiles = new HashMap<>();
    private final long trustedBeforeMillis;

    public UnchangedFiles(PhysicalInfo parent, Instant parentStarted) {
        parent.files().forEach(f -> parentFiles.put(f.path(), f));
        this.trustedBeforeMillis = parentStarted.minus(SAFETY_MARGIN).toEpochMilli();
    }

    /** No parent: every file is read. */
    public static UnchangedFiles none() {
        return new UnchangedFiles(new PhysicalInfo(null, null, 0, 0, null, null, null, null, 0, 0, false, null, null,
                null, null, null, null), Instant.EPOCH);
    }

    /** The parent's entry to reuse for {@code file}, or null when the file must be read. */
    public PhysicalInfo.FileEntry reusable(SourceFile file) {
        PhysicalInfo.FileEntry previous = parentFiles.get(file.path());
        if (previous == null || previous.size() != file.size() || previous.mtimeMillis() != file.mtimeMillis()
                || previous.mtimeMillis() >= trustedBeforeMillis) {
            return null;
        }
        return new PhysicalInfo.FileEntry(file.path(), previous.size(), previous.mtimeMillis(), file.mode(), previous.crc32c(),
                previous.chunks());
    }
}
