package dev.cellar.backup;

import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.PhysicalInfo;
import java.util.HashSet;
import java.util.Set;

/** The chunks a physical backup's manifest refers to: present in the repository as long as gc is kept away. */
final class KnownChunks {
    private KnownChunks() {
    }

    /** Every chunk id of {@code manifest}'s files; empty for null or a manifest that is not physical. */
    static Set<String> of(BackupManifest manifest) {
        if (manifest == null || !manifest.isPhysical()) {
            return Set.of();
        }
        Set<String> ids = new HashSet<>();
        for (PhysicalInfo.FileEntry file : manifest.physical().files()) {
            for (ChunkRef chunk : file.chunks()) {
                ids.add(chunk.id());
            }
        }
        return ids;
    }
}
