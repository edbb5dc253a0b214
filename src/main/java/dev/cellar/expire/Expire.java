package dev.cellar.expire;

import dev.cellar.config.RetentionConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.DamagedManifest;
import dev.cellar.repo.GarbageCollector;
import dev.cellar.repo.LockInfo;
import dev.cellar.repo.LockedObjects;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.storage.ClockSkew;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.ObjectLockedException;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Runs retention: loads every manifest and the WAL listing, plans with {@link RetentionPlanner},
 * and (unless a dry run) deletes in the one order that is safe to interrupt: manifests first,
 * then WAL from the oldest segment up, then gc of the chunks no manifest references any more, all
 * under one exclusive lock. Stopped at any point, every backup still listed has all of its WAL
 * and chunks, and the archive has no hole; running expire again finishes the job.
 */
public final class Expire {
    private static final String OPERATION = "expire";

    private final Repository repository;
    private final WalArchive archive;
    private final RetentionPlanner planner;

    public Expire(Repository repository, RetentionConfig retention) {
        this.repository = repository;
        // expire only lists, sizes and deletes WAL; the compression level is never used
        this.archive = new WalArchive(repository, 1);
        this.planner = new RetentionPlanner(retention);
    }

    public ExpireResult run(boolean dryRun, Duration lockWait) {
        // 1. A dry run only reads, so it runs beside backups; the real run is alone in the repository.
        try (RepositoryLock.Held lock = dryRun
                ? repository.locks().acquireShared(OPERATION + " --dry-run", lockWait)
                : repository.locks().acquireExclusive(OPERATION, lockWait)) {
            Instant started = repository.clock().instant();
            // 2. Ages and locks are judged in the time of the server that enforces the locks; a host
            //    clock far from it would delete by another calendar than the server's, so a real run refuses.
            if (!dryRun) {
                refuseOnClockSkew(started);
            }
            Instant now = repository.storage().lockTime(repository.clock());
            // 3. Every manifest must read, or nothing is deleted: a backup we cannot read may need anything.
            List<BackupSummary> backups = loadBackups();
            // 4. The plan, from the repository as it is now.
            RetentionPlan plan = planner.plan(backups, archive.list(), now, storedSizes());
            if (dryRun) {
                repository.audit().append(OPERATION, repository.storage().describe(), AuditRecord.OK, "dry run: " + summary(plan),
                        0, Duration.between(started, repository.clock().instant()));
                return ExpireResult.dryRun(plan, lock.brokenStale(), repository.storage().versioned());
            }
            // 5. Record what is about to go before anything goes, so an interrupted run leaves a trace.
            repository.audit().append(OPERATION, repository.storage().describe(), AuditRecord.STARTED, summary(plan), 0, null);
            try {
                ExpireResult result = execute(plan, lock);
                repository.audit().append(OPERATION, repository.storage().describe(), AuditRecord.OK, done(result),
                        result.bytesFreed(), Duration.between(started, repository.clock().instant()));
                return result;
            } catch (RuntimeException e) {
                repository.audit().appendFailure(OPERATION, repository.storage().describe(), e.getMessage(),
                        Duration.between(started, repository.clock().instant()), e);
                throw e;
            }
        }
    }

    private ExpireResult execute(RetentionPlan plan, RepositoryLock.Held lock) {
        // 6. Manifests first: once a manifest is gone nothing refers to its WAL or chunks, while
        //    WAL deleted first would leave a listed backup that cannot be restored. A manifest the
        //    storage refuses to delete (WORM retention longer than the manifest records) stays.
        List<String> deleted = new ArrayList<>();
        LockedObjects locked = LockedObjects.NONE;
        for (RetentionPlan.BackupDecision backup : plan.delete()) {
            try {
                repository.manifests().delete(backup.id());
                deleted.add(backup.id());
            } catch (ObjectLockedException e) {
                locked = locked.plus(e);
            }
        }
        // 7. WAL in ascending order: an interruption leaves the kept archive without a hole. The
        //    WAL plan assumed every planned backup gone; if one stayed, its WAL waits for a later run.
        long walBytes = 0;
        int walDeleted = 0;
        boolean walDeferred = deleted.size() < plan.delete().size() && !plan.walToDelete().isEmpty();
        for (String name : walDeferred ? List.<String>of() : plan.walToDelete()) {
            WalFileName file = WalFileName.parse(name);
            long size = sizeOrZero(file);
            try {
                archive.delete(file);
            } catch (ObjectLockedException e) {
                locked = locked.plus(e);
                continue;
            }
            walBytes += size;
            walDeleted++;
        }
        // 8. Chunks no manifest references any more, under the same lock, so no backup can reuse one meanwhile.
        GarbageCollector.Result gc = new GarbageCollector(repository).collect(false, lock);
        List<LockInfo> stale = lock.brokenStale();
        // 9. On a versioned bucket every delete above only wrote a delete marker: nothing was freed yet.
        boolean markersOnly = repository.storage().versioned();
        long walFreed = markersOnly ? 0 : walBytes;
        return new ExpireResult(plan, false, deleted, walDeleted, walFreed, gc.chunksDeleted(),
                gc.bytesFreed(), gc.tempFilesRemoved(), walFreed + gc.bytesFreed(), stale, locked.plus(gc.locked()), walDeferred,
                markersOnly, markersOnly ? walBytes + gc.bytesMadeNoncurrent() : 0);
    }

    private void refuseOnClockSkew(Instant started) {
        try {
            ClockSkew.refuseIfBeyondTolerance(repository.storage(), repository.clock(), OPERATION);
        } catch (CellarException e) {
            repository.audit().appendFailure(OPERATION, repository.storage().describe(), e.getMessage(),
                    Duration.between(started, repository.clock().instant()), e);
            throw e;
        }
    }

    private List<BackupSummary> loadBackups() {
        // read in parallel, each manifest dropped once summarised; a chunk shared by many backups
        // is kept as one string, not one per backup that references it
        Map<String, String> canonical = new ConcurrentHashMap<>();
        BackupCatalog.Summaries<BackupSummary> read = new BackupCatalog(repository).eachWhole(
                manifest -> BackupSummary.of(manifest, id -> canonical.computeIfAbsent(id, same -> same)));
        if (!read.damaged().isEmpty()) {
            DamagedManifest damaged = read.damaged().get(0);
            throw new CellarException(ErrorCode.INTEGRITY, "expire stopped before deleting anything: backup " + damaged.id()
                    + " cannot be read (" + damaged.problem() + ")",
                    "repair or remove that manifest first ('cellar verify " + damaged.id() + "'); expire never guesses what a backup needs");
        }
        return read.backups();
    }

    private StoredSizes storedSizes() {
        return new StoredSizes() {
            @Override
            public long chunk(String chunkId) {
                try {
                    return repository.chunks().storedSize(chunkId);
                } catch (NoSuchObjectException e) {
                    return 0; // verify reports missing chunks; for an estimate it frees nothing
                }
            }

            @Override
            public long wal(WalFileName file) {
                return sizeOrZero(file);
            }
        };
    }

    private long sizeOrZero(WalFileName file) {
        try {
            return archive.storedSize(file);
        } catch (NoSuchObjectException e) {
            return 0;
        }
    }

    private static String summary(RetentionPlan plan) {
        return "delete " + plan.delete().size() + " backups" + ids(plan.delete()) + ", " + plan.walToDelete().size() + " WAL files"
                + plan.walDeleted().stream().map(r -> r.first() + ".." + r.last()).collect(Collectors.joining(", ", " [", "]"))
                + "; keep " + plan.keep().size() + " backups" + (plan.walKeepFrom() == null ? "" : ", WAL from " + plan.walKeepFrom());
    }

    private static String ids(List<RetentionPlan.BackupDecision> backups) {
        return backups.isEmpty() ? "" : backups.stream().map(RetentionPlan.BackupDecision::id).collect(Collectors.joining(", ", " (", ")"));
    }

    private static String done(ExpireResult result) {
        return "deleted " + result.backupsDeleted().size() + " backups" + (result.backupsDeleted().isEmpty() ? ""
                : " (" + String.join(", ", result.backupsDeleted()) + ")") + ", " + result.walFilesDeleted() + " WAL files, "
                + result.chunksDeleted() + " chunks" + (result.deleteMarkersOnly() ? " (as " + result.deleteMarkers()
                + " delete markers: " + result.bytesMadeNoncurrent() + " bytes now noncurrent, nothing freed yet)" : "")
                + (result.locked().none() ? "" : "; " + result.locked().describe());
    }
}
