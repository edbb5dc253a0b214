package dev.cellar.verify;

import dev.cellar.error.CellarException;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.WalInventory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks the WAL archive: every object authenticates and matches its SHA-256, no segment is
 * missing inside a timeline's range, and every physical backup's own WAL range is there.
 */
public final class WalArchiveVerifier {
    private final Repository repository;
    private final WalArchive archive;

    public WalArchiveVerifier(Repository repository, WalArchive archive) {
        this.repository = repository;
        this.archive = archive;
    }

    /** The WAL a physical backup needs to become consistent, from its manifest. */
    private record WalRange(String id, int timeline, String startWal, String stopWal, long segmentSize) {
    }

    public WalArchiveReport verify(int jobs, ProgressListener progress) {
        List<WalFileName> files = archive.list();
        // only each physical backup's WAL range is kept, not its manifest: a repository of
        // thousands of backups would otherwise hold every file list at once
        List<WalRange> physical = new ArrayList<>();
        for (String id : repository.manifests().ids()) {
            BackupManifest manifest;
            try {
                manifest = repository.manifests().loadWithoutChunks(id);
            } catch (CellarException e) {
                continue; // a damaged manifest is the backup check's finding; its WAL needs are unknown
            }
            if (manifest.isPhysical()) {
                PhysicalInfo info = manifest.physical();
                physical.add(new WalRange(manifest.id(), info.timeline(), info.startWal(), info.stopWal(), info.walSegmentSize()));
            }
        }
        long segmentSize = physical.isEmpty() ? WalFileName.DEFAULT_SEGMENT_SIZE : physical.get(physical.size() - 1).segmentSize();
        Set<String> names = new HashSet<>();
        files.forEach(f -> names.add(f.name()));
        List<String> lacking = new ArrayList<>();
        for (WalRange backup : physical) {
            long first = WalFileName.parse(backup.startWal()).segmentNumber(segmentSize);
            long last = WalFileName.parse(backup.stopWal()).segmentNumber(segmentSize);
            for (long n = first; n <= last; n++) {
                String name = WalFileName.segment(backup.timeline(), n, segmentSize).name();
                if (!names.contains(name)) {
                    lacking.add("backup " + backup.id() + " needs " + name + ", which is not archived");
                }
            }
        }
        List<String> damaged = Collections.synchronizedList(new ArrayList<>());
        AtomicLong bytes = new AtomicLong();
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (WalFileName file : files) {
                futures.add(pool.submit(() -> {
                    try {
                        bytes.addAndGet(archive.read(file).length);
                    } catch (CellarException e) {
                        damaged.add(file.objectKey() + ": " + e.getMessage());
                    }
                    progress.progress("verify WAL", done.incrementAndGet(), files.size());
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Collections.sort(damaged);
        return new WalArchiveReport(WalInventory.of(files, segmentSize), List.copyOf(damaged), lacking, files.size(), bytes.get());
    }
}
