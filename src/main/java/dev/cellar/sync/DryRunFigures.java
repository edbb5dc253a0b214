package dev.cellar.sync;

import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.ManifestStore;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.storage.Storage;
import dev.cellar.wal.WalFileName;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code repo sync --dry-run} reports it would copy, in the same units as the real run: the
 * stored bytes of the source's objects (one listing per folder, with sizes, rather than a request
 * per object). The audit records a dry run would copy are counted by the trail's own dry-run join
 * ({@code CopiesSync}).
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

    /** The manifest and, when the backup has one, its summary: what {@link ObjectCopy#manifest} copies. */
    long manifest(String backupId) {
        return sizeOf(RepositoryLayout.SUMMARIES, ManifestStore.summaryObjectKey(backupId))
                + sizeOf(RepositoryLayout.BACKUPS, ManifestStore.objectKey(backupId));
    }

    private long sizeOf(String folder, String key) {
        return folder(folder).getOrDefault(key, 0L);
    }

    private Map<String, Long> folder(String folder) {
        return sizesByFolder.computeIfAbsent(folder, source::listSizes);
    }
}
