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
        boolean walDeferred) {

    public ExpireResult {
        backupsDeleted = List.copyOf(backupsDeleted);
        staleLocksBroken = List.copyOf(staleLocksBroken);
    }

    static ExpireResult dryRun(RetentionPlan plan, List<LockInfo> staleLocksBroken) {
        return new ExpireResult(plan, true, List.of(), 0, 0, 0, 0, 0, 0, staleLocksBroken, LockedObjects.NONE, false);
    }

    /** Backups the plan keeps while they are under WORM retention. */
    public List<RetentionPlan.BackupDecision> keptLocked() {
        return plan.keep().stream().filter(b -> b.lockedUntil() != null).toList();
    }
}
