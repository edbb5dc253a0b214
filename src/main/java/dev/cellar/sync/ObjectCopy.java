package dev.cellar.sync;

import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.ManifestStore;
import dev.cellar.repo.Repository;
import dev.cellar.storage.Storage;
import dev.cellar.wal.WalFileName;

/**
 * Copies one object from one copy of the repository to another, byte for byte, after checking
 * it in the source as a restore would (authenticated, and for a chunk re-hashed against its id):
 * damage is never copied. Every copy shares the keys, so the bytes are valid in the target.
 *
 * <p>{@code sync} adds what the target lacks and never touches what it has; {@code repair}
 * replaces a damaged object.
 */
public final class ObjectCopy {
    /** Add only if absent (repo sync), or replace whatever the target holds (verify --repair). */
    public enum Mode { ADD, REPLACE }

    private final Repository source;
    private final Storage target;
    private final Mode mode;

    /**
     * @param source the repository opened on the copy read from
     * @param target the copy written to
     */
    public ObjectCopy(Repository source, Storage target, Mode mode) {
        this.source = source;
        this.target = target;
        this.mode = mode;
    }

    /** Copies a chunk, made durable by {@link #flush()}; returns the bytes written (0 if the target had it). */
    public long chunk(ChunkRef ref) {
        String key = ChunkStore.objectKey(ref.id());
        byte[] sealed = source.chunks().getSealed(ref);
        if (mode == Mode.REPLACE) {
            target.put(key, sealed);
            return sealed.length;
        }
        return target.putIfAbsentLazily(key, sealed) ? sealed.length : 0;
    }

    /** Makes the chunks copied so far durable: before any manifest that needs them is copied. */
    public void flush() {
        target.flushLazyWrites();
    }

    /** The backup's summary (when it has one), then its manifest: the order a backup writes them. */
    public long manifest(String backupId) {
        long summary = source.manifests().summarySealed(backupId)
                .map(sealed -> write(ManifestStore.summaryObjectKey(backupId), sealed)).orElse(0L);
        return summary + write(ManifestStore.objectKey(backupId), source.manifests().loadSealed(backupId));
    }

    public long wal(WalFileName file) {
        return write(file.objectKey(), source.wal().getSealed(file.objectKey()));
    }

    private long write(String key, byte[] sealed) {
        if (mode == Mode.REPLACE) {
            target.put(key, sealed);
            return sealed.length;
        }
        return target.putIfAbsent(key, sealed) ? sealed.length : 0;
    }
}
