package dev.cellar.expire;

import dev.cellar.repo.LockInfo;
import dev.cellar.repo.LockedObjects;
import java.util.List;

/**
 * What an expiry run planned and what it removed. A dry run carries the plan and zeros: it
 * deleted nothing.
 *
 * @param backupsDeleted  manifests removed, in the order they were removed
 * @param chunksDeleted   chunks gc removed afterwards (those only expired backups used, and any
 *                        left by interrupted backups)
 * @param bytesFreed      stored bytes freed in all: WAL plus chunks
 * @param locked          objects the storage refused to delete because they are under WORM
 *                        retention; they stay, and a later run removes them once it has passed
 * @param walDeferred     a planned backup's manifest was locked, so this run deleted no WAL (the
 *                        WAL plan assumed that backup gone); the next run plans again
 * @param deleteMarkersOnly the storage keeps deleted versions (a versioned bucket, every bucket with Object
 *                        Lock): each delete only wrote a delete marker, so the three byte counts freed are 0
 * @param bytesMadeNoncurrent on such storage, the stored bytes now behind delete markers: still stored and billed
 *                        until the bucket's lifecycle removes noncurrent versions (docs/lifecycle.md); 0 elsewhere
 */
public record ExpireResult(
        RetentionPlan plan,
        boolean dryRun,
        List<String> backupsDeleted,
        int walFilesDeleted,
        long walBytesFreed,
        int chunksDeleted,
        long chunkBytesFreed,
        int tempFilesRemoved,
        long bytesFreed,
        List<LockInfo> staleLocksBroken,
        LockedObjects locked,
        boolean walDeferred,
        boolean deleteMarkersOnly,
        long bytesMadeNoncurrent) {

    public ExpireResult {
        backupsDeleted = List.copyOf(backupsDeleted);
        staleLocksBroken = List.copyOf(staleLocksBroken);
    }

    /** @param deleteMarkersOnly whether the real run would only write delete markers (versioned storage) */
    static ExpireResult dryRun(RetentionPlan plan, List<LockInfo> staleLocksBroken, boolean deleteMarkersOnly) {
        return new ExpireResult(plan, true, List.of(), 0, 0, 0, 0, 0, 0, staleLocksBroken, LockedObjects.NONE, false, deleteMarkersOnly, 0);
    }

    /** Delete markers this run wrote on versioned storage: one per backup, WAL file and chunk deleted. */
    public int deleteMarkers() {
        return deleteMarkersOnly ? backupsDeleted.size() + walFilesDeleted + chunksDeleted : 0;
    }

    /** Backups the plan keeps while they are under WORM retention. */
    public List<RetentionPlan.BackupDecision> keptLocked() {
        return plan.keep().stream().filter(b -> b.lockedUntil() != null).toList();
    }
}
