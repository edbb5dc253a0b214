package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.ClockSkew;
import dev.cellar.storage.ObjectLockedException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deletes chunks that no manifest references: the leftovers of killed backups and of expired
 * ones. It holds the exclusive lock, so no backup can be deduplicating against a chunk while it
 * is judged unreferenced. If any manifest cannot be read it deletes nothing: a chunk that only
 * an unreadable manifest needs is still needed.
 */
public final class GarbageCollector {
    private final Repository repository;

    public GarbageCollector(Repository repository) {
        this.repository = repository;
    }

    /**
     * What a collection found and (unless a dry run) removed.
     *
     * @param unreferenced chunks no manifest references (those {@code locked} counts among them stayed)
     * @param bytesFreed   stored bytes of the chunks actually deleted (in a dry run: that would be); 0 on versioned storage
     * @param locked       unreferenced chunks the storage refused to delete because they are under WORM retention
     * @param deleteMarkersOnly the storage keeps deleted versions (a versioned bucket): each delete only wrote a delete
     *                     marker, and the bytes stay stored until the bucket's lifecycle removes noncurrent versions
     * @param bytesMadeNoncurrent on such storage, the stored bytes of the chunks now behind delete markers (freed later
     *                     by that lifecycle rule, not by gc); 0 elsewhere
     */
    public record Result(int backups, int chunksBefore, int chunksReferenced, List<String> unreferenced,
                         long bytesFreed, int tempFilesRemoved, List<LockInfo> staleLocksBroken, boolean dryRun, LockedObjects locked,
                         boolean deleteMarkersOnly, long bytesMadeNoncurrent) {

        /** Chunks actually deleted (or, in a dry run, that would be). */
        public int chunksDeleted() {
            return unreferenced.size() - locked.count();
        }
    }

    /**
     * Collects under its own exclusive lock. A real run refuses while this host's clock is more
     * than a minute off the storage server's, which judges the locks ({@link ClockSkew}).
     */
    public Result collect(boolean dryRun, Duration lockWait) {
        if (!dryRun) {
            ClockSkew.refuseIfBeyondTolerance(repository.storage(), repository.clock(), "gc");
        }
        try (RepositoryLock.Held lock = repository.locks().acquireExclusive("gc", lockWait)) {
            return collect(dryRun, lock);
        }
    }

    /**
     * Collects under an exclusive lock the caller already holds, so an operation that deletes
     * manifests (expire) can reclaim their chunks before any backup can start reusing them.
     */
    public Result collect(boolean dryRun, RepositoryLock.Held exclusiveLock) {
        // every manifest read once, in parallel, keeping only the chunk ids it references
        Set<String> referenced = ConcurrentHashMap.newKeySet();
        BackupCatalog.Summaries<String> read = new BackupCatalog(repository).eachWhole(manifest -> {
            manifest.chunkRefs().forEach(chunk -> referenced.add(chunk.id()));
            return manifest.id();
        });
        if (!read.damaged().isEmpty()) {
            DamagedManifest damaged = read.damaged().get(0);
            throw new CellarException(ErrorCode.INTEGRITY, "gc stopped before deleting anything: backup " + damaged.id()
                    + " cannot be read (" + damaged.problem() + ")",
                    "repair or remove that manifest first ('cellar verify " + damaged.id() + "'); gc never guesses what it needs");
        }
        List<String> backupIds = read.backups();
        List<String> all = repository.chunks().listIds();
        List<String> unreferenced = all.stream().filter(id -> !referenced.contains(id)).toList();
        long freed = 0;
        LockedObjects locked = LockedObjects.NONE;
        for (String id : unreferenced) {
            long size = repository.chunks().storedSize(id);
            if (!dryRun) {
                try {
                    repository.chunks().delete(id);
                } catch (ObjectLockedException e) {
                    // written by a locked backup that never committed, or kept past its backups: it goes on a later run
                    locked = locked.plus(e);
                    continue;
                }
            }
            freed += size;
        }
        if (!dryRun) {
            removeOrphanSummaries(backupIds);
        }
        int tempFiles = 0;
        // Temp files belong to writers that died: with the exclusive lock held none is alive.
        for (String key : repository.storage().list("tmp/")) {
            tempFiles++;
            if (!dryRun) {
                repository.storage().delete(key);
            }
        }
        boolean deleteMarkersOnly = repository.storage().versioned();
        return new Result(backupIds.size(), all.size(), all.size() - unreferenced.size(), unreferenced,
                deleteMarkersOnly ? 0 : freed, tempFiles, exclusiveLock.brokenStale(), dryRun, locked, deleteMarkersOnly,
                deleteMarkersOnly ? freed : 0);
    }

    /**
     * Summaries written by backups that died before their manifest: no listing reads them (a
     * listing starts from the manifests), so they only take room. A locked one stays until its
     * retention ends.
     */
    private void removeOrphanSummaries(List<String> backupIds) {
        Set<String> backups = new HashSet<>(backupIds);
        for (String id : repository.manifests().idsWithSummary()) {
            if (!backups.contains(id)) {
                try {
                    repository.manifests().deleteOrphanSummary(id);
                } catch (ObjectLockedException e) {
                    // written under the lock of a backup that never committed: it goes on a later run
                }
            }
        }
    }
}
