package dev.cellar.sync;

import dev.cellar.config.RetentionConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.expire.BackupSummary;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Storage;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of {@code cellar repo sync}: brings one copy of the repository up to date from
 * another (see {@link CopiesSync} for the whole command). Copies in the repository's commit
 * order, so a sync stopped at any point leaves the target consistent: header and key slots (only
 * into an empty copy, key slots first), chunks (made durable in one flush), WAL, then the
 * manifests that commit the backups. Every object is checked in the source before it is written;
 * the target's own retention decides which backups and WAL it should hold. Running it again
 * copies nothing. The audit trail is joined across the copies by {@link CopiesSync}.
 */
public final class RepositorySync {
    private static final String OPERATION = "repo sync";

    /** A copy to fill: its configured name, storage and retention. */
    public record Target(String name, Storage storage, RetentionConfig retention) {
    }

    private final Repository source;
    private final String sourceName;
    private final int jobs;
    /** What a dry run reports, in the real run's units (listed lazily, so a real run pays nothing). */
    private final DryRunFigures figures;

    /**
     * @param source     the repository opened on the copy read from
     * @param sourceName that copy's configured name
     * @param jobs       objects copied in parallel
     */
    public RepositorySync(Repository source, String sourceName, int jobs) {
        this.source = source;
        this.sourceName = sourceName;
        this.jobs = Math.max(1, jobs);
        this.figures = new DryRunFigures(source.storage());
    }

    public SyncResult.CopyResult syncTo(Target target, boolean dryRun, Duration lockWait, ProgressListener progress) {
        Repository onTarget = source.onCopy(target.storage());
        // 1. Source and target are each held against gc: the target's chunks are relied on, the source's read.
        try (RepositoryLock.Held sourceLock = source.locks().acquireShared(OPERATION + " to " + target.name(), lockWait);
             RepositoryLock.Held targetLock = dryRun ? null : onTarget.locks().acquireShared(OPERATION + " from " + sourceName, lockWait)) {
            Progress counts = new Progress();
            // 2. An empty copy first receives what opens the repository.
            boolean initialised = !target.storage().exists(RepositoryLayout.HEADER);
            if (initialised && !dryRun) {
                copyHeaderAndKeys(target.storage());
            }
            if (!dryRun) {
                // the data keys of 'cellar key rotate' before any object sealed with them
                source.keyring().writeMissingTo(target.storage());
            }
            // 3. What the target lacks and its retention keeps.
            Map<String, BackupManifest> sourceBackups = readableManifests(source, counts.failures, "in " + sourceName);
            Map<String, BackupManifest> targetBackups = readableManifests(onTarget, counts.skipped, "in " + target.name()
                    + " (run 'cellar verify --repair')");
            Set<String> targetIds = new HashSet<>(onTarget.manifests().ids());
            targetIds.removeAll(targetBackups.keySet()); // present but unreadable: repaired by verify, not overwritten here
            List<WalFileName> sourceWal = new WalArchive(source, 1).list();
            List<WalFileName> targetWal = new WalArchive(onTarget, 1).list();
            Map<String, BackupManifest> missingOnly = new LinkedHashMap<>(sourceBackups);
            missingOnly.keySet().removeAll(targetIds);
            SyncPlan plan = new SyncPlanner(target.retention()).plan(summaries(missingOnly), summaries(targetBackups),
                    sourceWal, targetWal, source.clock().instant());
            counts.skipped.addAll(plan.backupsSkipped());
            if (!plan.walSkipped().isEmpty()) {
                counts.skipped.add(plan.walSkipped().size() + " WAL file(s) the target's retention would expire at once ("
                        + plan.walSkipped().get(0) + (plan.walSkipped().size() > 1 ? " .. " + plan.walSkipped().get(plan.walSkipped().size() - 1) : "")
                        + ")");
            }
            ObjectCopy copy = new ObjectCopy(source, target.storage(), ObjectCopy.Mode.ADD);
            // 4. Chunks of the backups to copy that the target lacks; a backup with a damaged chunk is not copied.
            Set<String> targetChunks = new HashSet<>(onTarget.chunks().listIds());
            Set<String> brokenBackups = copyChunks(plan.backupsToCopy(), sourceBackups, targetChunks, copy, dryRun, counts, target.name(), progress);
            // 5. WAL, then 6. the manifests that commit the backups.
            for (WalFileName file : plan.walToCopy()) {
                try {
                    counts.wal = counts.wal.plus(dryRun ? figures.wal(file) : copy.wal(file));
                } catch (CellarException e) {
                    counts.failures.add(file.objectKey() + " not copied: " + e.getMessage());
                }
            }
            List<String> copied = new ArrayList<>();
            for (String id : plan.backupsToCopy()) {
                if (!brokenBackups.contains(id)) {
                    counts.manifests = counts.manifests.plus(dryRun ? figures.manifest(id) : copy.manifest(id));
                    copied.add(id);
                }
            }
            // 7. Archives and the erasure ledger: self-contained objects, copied whole with the lock they carry.
            SyncResult.Count lifecycle = new LifecycleObjectCopy(source.storage(), target.storage()).copyMissing(dryRun, counts.failures);
            return new SyncResult.CopyResult(sourceName, target.name(), target.storage().describe(), initialised, counts.chunks, counts.wal,
                    counts.manifests, copied, counts.skipped, counts.failures, lifecycle);
        }
    }

    /** Running totals of one target. */
    private static final class Progress {
        SyncResult.Count chunks = SyncResult.Count.NONE;
        SyncResult.Count wal = SyncResult.Count.NONE;
        SyncResult.Count manifests = SyncResult.Count.NONE;
        final List<String> skipped = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
    }

    /** Key slots first, header last, as init writes them: a copy with a header always has a key. */
    private void copyHeaderAndKeys(Storage target) {
        Storage from = source.storage();
        for (String key : from.list(RepositoryLayout.KEYS)) {
            byte[] slot = from.read(key, RepositorySync::checkedJson);
            target.putIfAbsent(key, slot);
        }
        byte[] header = from.read(RepositoryLayout.HEADER, RepositorySync::checkedJson);
        Repository.readHeader(from); // the header the source is opened with, checked
        target.putIfAbsent(RepositoryLayout.HEADER, header);
    }

    private static byte[] checkedJson(byte[] json) {
        try {
            RepositoryJson.mapper().readTree(json);
            return json;
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTEGRITY, "not readable JSON: " + e.getMessage());
        }
    }

    private static Map<String, BackupManifest> readableManifests(Repository repository, List<String> problems, String where) {
        Map<String, BackupManifest> manifests = new LinkedHashMap<>();
        for (String id : repository.manifests().ids()) {
            try {
                BackupManifest manifest = repository.manifests().load(id);
                BackupSummary.of(manifest); // retention must be able to judge it
                manifests.put(id, manifest);
            } catch (CellarException e) {
                problems.add("backup " + id + " is unreadable " + where + ": " + e.getMessage());
            }
        }
        return manifests;
    }

    private static List<BackupSummary> summaries(Map<String, BackupManifest> manifests) {
        return manifests.values().stream().map(BackupSummary::of).toList();
    }

    /** Copies the missing chunks of the given backups in parallel; returns the backups that lost one. */
    private Set<String> copyChunks(List<String> backupIds, Map<String, BackupManifest> manifests, Set<String> targetChunks,
                                   ObjectCopy copy, boolean dryRun, Progress counts, String targetName, ProgressListener progress) {
        Map<String, ChunkRef> needed = new LinkedHashMap<>();
        Map<String, List<String>> usedBy = new LinkedHashMap<>();
        for (String id : backupIds) {
            manifests.get(id).chunkRefs().filter(ref -> !targetChunks.contains(ref.id())).forEach(ref -> {
                needed.putIfAbsent(ref.id(), ref);
                usedBy.computeIfAbsent(ref.id(), k -> new ArrayList<>()).add(id);
            });
        }
        Set<String> broken = new HashSet<>();
        if (dryRun) {
            counts.chunks = figures.chunks(needed.values());
            return broken;
        }
        long total = needed.values().stream().mapToLong(ChunkRef::size).sum();
        AtomicLong done = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong objects = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "cellar-sync");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<CellarException>> pending = new LinkedHashMap<>();
            for (ChunkRef ref : needed.values()) {
                pending.put(ref.id(), pool.submit(() -> {
                    try {
                        long written = copy.chunk(ref);
                        if (written > 0) {
                            objects.incrementAndGet();
                            bytes.addAndGet(written);
                        }
                        return null;
                    } catch (CellarException e) {
                        if (e.code() != ErrorCode.INTEGRITY && !(e instanceof NoSuchObjectException)) {
                            throw e;
                        }
                        return e;
                    } finally {
                        progress.progress("sync " + targetName, done.addAndGet(ref.size()), total);
                    }
                }));
            }
            for (Map.Entry<String, Future<CellarException>> entry : pending.entrySet()) {
                CellarException damaged = await(entry.getValue());
                if (damaged != null) {
                    broken.addAll(usedBy.get(entry.getKey()));
                    counts.failures.add("backup(s) " + String.join(", ", usedBy.get(entry.getKey())) + " not copied: " + damaged.getMessage());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // chunks durable before any manifest that refers to them is copied
        copy.flush();
        counts.chunks = new SyncResult.Count(objects.get(), bytes.get());
        return broken;
    }

    private static CellarException await(Future<CellarException> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while copying chunks");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new CellarException(ErrorCode.INTERNAL, "copying a chunk failed: " + e.getCause(), null, e.getCause());
        }
    }
}
