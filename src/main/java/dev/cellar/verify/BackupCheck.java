package dev.cellar.verify;

import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
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

    /** The verdict on a readable manifest, given every damaged chunk of the run (by chunk id). */
    static BackupCheck of(BackupManifest manifest, Map<String, CorruptObjectException> damagedChunks) {
        Set<String> needed = new LinkedHashSet<>();
        manifest.chunkRefs().map(ChunkRef::id).forEach(needed::add);
        List<CorruptObjectException> failures = needed.stream().filter(damagedChunks::containsKey).map(damagedChunks::get).toList();
        if (failures.isEmpty()) {
            return new BackupCheck(manifest.id(), true, List.of(), null);
        }
        return new BackupCheck(manifest.id(), false, failures.stream().map(CorruptObjectException::objectKey).toList(),
                failures.size() + " of its " + needed.size() + " chunks are damaged; first: " + failures.get(0).getMessage());
    }
}
