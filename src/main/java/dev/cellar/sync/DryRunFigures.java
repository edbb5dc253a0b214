package dev.cellar.sync;

import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.ManifestStore;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.storage.Storage;
import dev.cellar.wal.WalFileName;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What {@code repo sync --dry-run} reports it would copy, in the same units as the real run: the
 * stored bytes of the source's objects (one listing per folder, with sizes, rather than a request
 * per object), and the audit records the target lacks plus the one the sync writes itself (whose
 * bytes alone are left out).
 */
final class DryRunFigures {
    private final Storage source;
    private final Map<String, Map<String, Long>> sizesByFolder = new HashMap<>();

    DryRunFigures(Storage source) {
        this.source = source;
    }

    SyncResult.Count chunks(Collection<ChunkRef> chunks) {
        long bytes = 0;
        for (ChunkRef ref : chunks) {
            bytes += sizeOf(RepositoryLayout.CHUNKS, ChunkStore.objectKey(ref.id()));
        }
        return new SyncResult.Count(chunks.size(), bytes);
    }

    long wal(WalFileName file) {
        return sizeOf(RepositoryLayout.WAL, file.objectKey());
    }

    long manifest(String backupId) {
        return sizeOf(RepositoryLayout.BACKUPS, ManifestStore.objectKey(backupId));
    }

    /**
     * The records the source holds and the target does not, and the record the real sync appends
     * to the source first: counted, not sized, since its size is known only once it is written.
     */
    SyncResult.Count audit(Storage target) {
        Map<String, Long> records = folder(RepositoryLayout.AUDIT);
        Set<String> present = new HashSet<>(target.list(RepositoryLayout.AUDIT));
        long count = 1;
        long bytes = 0;
        for (Map.Entry<String, Long> record : records.entrySet()) {
            if (!present.contains(record.getKey())) {
                count++;
                bytes += record.getValue();
            }
        }
        return new SyncResult.Count(count, bytes);
    }

    private long sizeOf(String folder, String key) {
        return folder(folder).getOrDefault(key, 0L);
    }

    private Map<String, Long> folder(String folder) {
        return sizesByFolder.computeIfAbsent(folder, source::listSizes);
    }
}
