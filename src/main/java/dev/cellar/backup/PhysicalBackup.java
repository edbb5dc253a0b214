package dev.cellar.backup;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.error.Futures;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.repo.Actor;
import dev.cellar.repo.AuditedOperation;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.CorruptObjectException;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.storage.Retention;
import dev.cellar.wal.Lsn;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A physical backup of a cluster whose data directory this host can read: between
 * {@code pg_backup_start} and {@code pg_backup_stop} on one session, every file the server needs
 * is read in page-aligned blocks into the deduplicating chunk store, then the WAL from the start
 * to the stop position is put in the WAL archive, and the manifest is written last. Until then
 * the backup does not exist; a crash leaves only chunks for {@code gc}.
 */
public final class PhysicalBackup {
    /** The operation's name in the audit trail. */
    public static final String AUDIT_OPERATION = "backup.physical";
    private static final Duration WAL_SWEEP = Duration.ofSeconds(1);

    private final Repository repository;
    private final PgConnectionSpec database;
    private final PhysicalBackupOptions options;
    private final ProgressListener progress;

    public PhysicalBackup(Repository repository, PgConnectionSpec database, PhysicalBackupOptions options, ProgressListener progress) {
        this.repository = repository;
        this.database = database;
        this.options = options;
        this.progress = progress;
    }

    public PhysicalBackupResult run() {
        // Audited from here on, however it ends: failed, interrupted by a signal, or done.
        try (AuditedOperation audit = AuditedOperation.begin(repository, AUDIT_OPERATION, database.describe())) {
            try {
                PhysicalBackupResult result = checkLockAndCopy(audit);
                audit.succeeded(result.storedBytes(), result.manifest().duration());
                return result;
            } catch (RuntimeException e) {
                audit.failed(e);
                throw e;
            }
        }
    }

    private PhysicalBackupResult checkLockAndCopy(AuditedOperation audit) {
        // 0. A backup that must be locked is refused at once by a storage that cannot lock it.
        options.worm().requireRetentionFor(BackupManifest.KIND_PHYSICAL, null, repository.storage());
        // 1. One session for the whole backup: the server ties the backup to it.
        try (BackupSession session = BackupSession.open(database)) {
            // 2. The server can make an online backup, and the data directory is really its own.
            ServerFacts server = session.facts();
            Path dataDir = DataDirectoryCheck.resolve(options.dataDir(), server);
            // 3. Shared lock: other backups may run, gc may not.
            try (RepositoryLock.Held lock = repository.locks().acquireShared("backup physical " + dataDir, options.lockWait())) {
                // 4. An incremental backup builds on the newest physical backup of this cluster; a full one
                //    only learns from it which chunks exist (read under the lock, so gc cannot remove them).
                BackupManifest newest = options.incremental() ? newestBackupOf(server.systemIdentifier())
                        : newestReadableBackupOf(server.systemIdentifier());
                BackupManifest parent = options.incremental() ? newest : null;
                Instant started = repository.clock().instant();
                String id = BackupId.next(started);
                long auditSequence = audit.started(id, "of " + dataDir);
                return copyAndCommit(session, server, dataDir, parent, KnownChunks.of(newest), id, started, auditSequence);
            }
        }
    }

    private PhysicalBackupResult copyAndCommit(BackupSession session, ServerFacts server, Path dataDir, BackupManifest parent,
                                               java.util.Set<String> knownChunks, String id, Instant started, long auditSequence) {
        long startNanos = System.nanoTime();
        // 5. Start the backup (with an immediate checkpoint); the label names the backup id.
        String startLsn = session.start("cellar " + id);
        int timeline = session.timeline();
        String startWal = WalFileName.segmentOf(timeline, startLsn, server.walSegmentSize()).name();
        BackupWal wal = new BackupWal(new WalArchive(repository, options.walCompressionLevel()), dataDir, timeline, startWal,
                server.walSegmentSize());
        // 6. Copy the files, archiving finished WAL segments meanwhile so none is recycled first;
        //    under a WORM lock every block written or reused is locked with the backup.
        Retention lock = options.worm().lockFor(BackupManifest.KIND_PHYSICAL, null, started,
                repository.storage().serverTime()).orElse(null);
        ChunkStore chunks = repository.chunks().forBackup(lock, knownChunks);
        UnchangedFiles unchanged = parent == null ? UnchangedFiles.none() : new UnchangedFiles(parent.physical(), parent.startedAt());
        Copy copy;
        try (WalSweeper sweeper = new WalSweeper(wal)) {
            copy = copyFiles(DataDirectoryScanner.scan(dataDir), unchanged, server, Lsn.parse(startLsn), chunks);
            sweeper.stopAndCheck();
        }
        // 7. Stop: the server returns backup_label and tablespace_map, and ends the WAL segment.
        BackupSession.Stopped stopped = session.stop();
        // 8. Every WAL segment from start to stop must be in the archive before the backup may exist,
        //    and is locked with a locked backup: without it the backup cannot become consistent.
        int walSegments = wal.archiveThrough(stopped.stopWal());
        if (lock != null) {
            lockWal(timeline, startWal, stopped.stopWal(), server.walSegmentSize(), lock);
        }
        // 9. Commit: the manifest is the last write.
        List<PhysicalInfo.TablespaceEntry> tablespaces = copy.scan().tablespaces().stream()
                .map(t -> new PhysicalInfo.TablespaceEntry(t.oid(), server.tablespaceNames().getOrDefault(t.oid(), ""), t.target()))
                .toList();
        PhysicalInfo info = new PhysicalInfo(parent == null ? PhysicalInfo.TYPE_FULL : PhysicalInfo.TYPE_INCREMENTAL,
                parent == null ? null : parent.id(), server.systemIdentifier(), labelTimeline(stopped.backupLabel(), timeline),
                startLsn, stopped.stopLsn(), startWal, stopped.stopWal(), server.walSegmentSize(), server.serverVersionNum(),
                server.dataChecksums(), stopped.backupLabel(), stopped.tablespaceMap(), tablespaces, copy.scan().directories(),
                copy.files(), copy.badPages());
        DataFileCopier copier = copy.copier();
        BackupManifest manifest = new BackupManifest(id, BackupManifest.KIND_PHYSICAL, started, repository.clock().instant(), null,
                server.serverVersion(), "cellar", database.host() + ":" + database.port() + " " + dataDir, Actor.current().toString(),
                List.of(), List.of(), copier.storedBytes.get(), auditSequence, info).lockedBy(lock);
        repository.manifests().save(manifest);
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        return new PhysicalBackupResult(id, info.type(), info.parentId(), startLsn, info.stopLsn(), startWal, info.stopWal(), info.timeline(),
                copy.files().size(), copy.reused(), info.totalBytes(), copier.bytesRead.get(), copier.newBlocks.get(),
                copier.reusedBlocks.get(), copier.newPlainBytes.get(), copier.storedBytes.get(), walSegments, server.dataChecksums(),
                copy.badPages(), millis, manifest);
    }

    private record Copy(DataDirectoryScan scan, List<PhysicalInfo.FileEntry> files, int reused, List<String> badPages,
                        DataFileCopier copier) {
    }

    /** How many of the newest manifests a full backup reads to find its cluster's previous backup. */
    private static final int KNOWN_CHUNKS_SEARCH = 16;

    /** Reads every file not reused from the parent; files in parallel, largest first so the pool ends together. */
    private Copy copyFiles(DataDirectoryScan scan, UnchangedFiles unchanged, ServerFacts server, long startLsn, ChunkStore chunks) {
        // every block is hashed, sealed and checksummed once: get those compiled before the first blocks arrive
        JitWarmUp.start();
        int jobs = Math.max(1, options.jobs());
        ExecutorService readers = Executors.newFixedThreadPool(jobs, daemon("cellar-file-reader"));
        int blockWriters = repository.storage().requestsInFlight(jobs);
        ExecutorService blockWorkers = Executors.newFixedThreadPool(blockWriters, daemon("cellar-block-writer"));
        try {
            long total = scan.totalBytes();
            AtomicLong done = new AtomicLong();
            PageValidator validator = server.dataChecksums()
                    ? new PageValidator(server.pageSize(), server.relationSegmentPages(), startLsn) : null;
            int blockSize = PhysicalBackupOptions.BLOCK_SIZE - PhysicalBackupOptions.BLOCK_SIZE % server.pageSize();
            DataFileCopier copier = new DataFileCopier(chunks, new ZstdCodec(options.compressionLevel()), blockWorkers,
                    blockSize, blockWriters + 2 * jobs, validator, n -> progress.progress("backup", done.addAndGet(n), total));
            List<PhysicalInfo.FileEntry> entries = new ArrayList<>();
            List<CompletableFuture<DataFileCopier.Copied>> reads = new ArrayList<>();
            int reused = 0;
            for (SourceFile file : scan.files().stream().sorted(Comparator.comparingLong(SourceFile::size).reversed()).toList()) {
                PhysicalInfo.FileEntry previous = unchanged.reusable(file);
                if (previous != null) {
                    previous.chunks().forEach(chunks::retain);
                    entries.add(previous);
                    reused++;
                    progress.progress("backup", done.addAndGet(previous.size()), total);
                } else {
                    reads.add(CompletableFuture.supplyAsync(() -> copier.copy(file), readers).thenCompose(stored -> stored));
                }
            }
            List<String> bad = new ArrayList<>();
            for (CompletableFuture<DataFileCopier.Copied> read : reads) {
                DataFileCopier.Copied copied = Futures.join(read);
                if (copied != null) {
                    entries.add(copied.entry());
                    bad.addAll(copied.badPages());
                }
            }
            entries.sort(Comparator.comparing(PhysicalInfo.FileEntry::path));
            bad.sort(null);
            return new Copy(scan, List.copyOf(entries), reused, List.copyOf(bad), copier);
        } finally {
            readers.shutdownNow();
            blockWorkers.shutdownNow();
        }
    }

    /** Locks the WAL files from start to stop (and the timeline's history file) as long as the backup. */
    private void lockWal(int timeline, String startWal, String stopWal, int segmentSize, Retention lock) {
        long first = WalFileName.parse(startWal).segmentNumber(segmentSize);
        long last = WalFileName.parse(stopWal).segmentNumber(segmentSize);
        for (long segment = first; segment <= last; segment++) {
            repository.wal().retain(WalFileName.segment(timeline, segment, segmentSize).objectKey(), lock);
        }
        String history = WalFileName.parse(WalFileName.historyName(timeline)).objectKey();
        if (timeline > 1 && repository.wal().exists(history)) {
            repository.wal().retain(history, lock);
        }
    }

    /** The newest physical backup of this cluster, which an incremental one builds on. */
    private BackupManifest newestBackupOf(long systemIdentifier) {
        List<String> ids = repository.manifests().ids();
        for (int i = ids.size() - 1; i >= 0; i--) {
            BackupManifest m = repository.manifests().load(ids.get(i));
            if (m.isPhysical() && m.physical().systemIdentifier() == systemIdentifier) {
                return m;
            }
        }
        throw noParent(systemIdentifier);
    }

    /**
     * For a full backup: the newest physical backup of this cluster among the newest
     * {@link #KNOWN_CHUNKS_SEARCH} manifests, or null. Only a shortcut (its chunks need no
     * existence check), so a damaged manifest is passed over, and a repository of many logical
     * backups is not read manifest by manifest, a round trip each, to find one.
     */
    private BackupManifest newestReadableBackupOf(long systemIdentifier) {
        List<String> ids = repository.manifests().ids();
        for (int i = ids.size() - 1; i >= Math.max(0, ids.size() - KNOWN_CHUNKS_SEARCH); i--) {
            try {
                BackupManifest m = repository.manifests().load(ids.get(i));
                if (m.isPhysical() && m.physical().systemIdentifier() == systemIdentifier) {
                    return m;
                }
            } catch (CorruptObjectException damaged) {
                // verify reports it; this backup simply checks those chunks as if it had no predecessor
            }
        }
        return null;
    }

    private CellarException noParent(long systemIdentifier) {
        return new CellarException(ErrorCode.NOT_FOUND, "no physical backup of this cluster (system identifier "
                + Long.toUnsignedString(systemIdentifier) + ") in " + repository.storage().describe() + " to build an incremental on",
                "take a full backup first: cellar backup physical --type full");
    }

    /** START TIMELINE of backup_label: the authority, since it is what recovery reads. */
    static int labelTimeline(String label, int fallback) {
        for (String line : label.split("\n")) {
            if (line.startsWith("START TIMELINE: ")) {
                return Integer.parseInt(line.substring("START TIMELINE: ".length()).trim());
            }
        }
        return fallback;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Archives finished WAL segments every second on its own connection while the files are
     * copied, so a busy server cannot recycle one before the backup has it.
     */
    private final class WalSweeper implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("cellar-wal-sweeper"));
        private final Connection connection = database.connect();
        private volatile RuntimeException failure;

        WalSweeper(BackupWal wal) {
            timer.scheduleWithFixedDelay(() -> {
                if (failure != null) {
                    return;
                }
                try {
                    wal.archiveCompleted(BackupSession.currentWalFile(connection));
                } catch (SQLException e) {
                    failure = new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "reading the current WAL position failed: "
                            + e.getMessage(), "see the server log");
                } catch (RuntimeException e) {
                    failure = e;
                }
            }, 0, WAL_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        }

        void stopAndCheck() {
            close();
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void close() {
            // no interrupt: a sweep in the middle of a storage request (an S3 PUT, say) would fail
            // on it and fail the backup; it finishes, and no further sweep starts
            timer.shutdown();
            try {
                if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                    timer.shutdownNow();
                }
            } catch (InterruptedException e) {
                timer.shutdownNow();
                Thread.currentThread().interrupt();
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the sweeper's connection only read positions
            }
        }
    }
}
