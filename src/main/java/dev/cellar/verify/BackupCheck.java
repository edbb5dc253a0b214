package dev.cellar.verify;

import dev.cellar.repo.CorruptObjectException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verdict on one backup: whether every object it needs can be read and authenticated.
 *
 * @param damagedObjects storage keys of the missing or corrupt objects it needs
 *                       ({@code backups/<id>} for its manifest, {@code chunks/ab/abcd...} for chunks)
 * @param problem        what is wrong, in one line; null when ok
 */
public record BackupCheck(String backupId, boolean ok, List<String> damagedObjects, String problem) {

    /** A backup whose manifest cannot be read: nothing else of it can be found, let alone restored. */
    static BackupCheck unreadableManifest(String backupId, CorruptObjectException failure) {
        return new BackupCheck(backupId, false, List.of(failure.objectKey()), failure.getMessage());
    }

    /**
     * The verdict on a readable manifest from the ids of the chunks it needs, in its order (ids
     * may repeat), given every damaged chunk of the run (by chunk id).
     */
    static BackupCheck of(String backupId, List<String> chunkIds, Map<String, CorruptObjectException> damagedChunks) {
        Set<String> needed = new LinkedHashSet<>(chunkIds);
        List<CorruptObjectException> failures = needed.stream().filter(damagedChunks::containsKey).map(damagedChunks::get).toList();
        if (failures.isEmpty()) {
            return new BackupCheck(backupId, true, List.of(), null);
        }
        return new BackupCheck(backupId, false, failures.stream().map(CorruptObjectException::objectKey).toList(),
                failures.size() + " of its " + needed.size() + " chunks are damaged; first: " + failures.get(0).getMessage());
    }
}
