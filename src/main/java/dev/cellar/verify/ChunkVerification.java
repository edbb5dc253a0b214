package dev.cellar.verify;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.CorruptObjectException;
import dev.cellar.repo.ProgressListener;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads and authenticates a set of chunks with a pool of workers, recording every damaged one
 * instead of stopping at the first: an operator needs the whole extent of the damage. At most
 * two chunks per worker are in memory at once, whatever the size of the repository.
 */
final class ChunkVerification {
    static final String PHASE = "verify";

    /**
     * @param damaged       the failure of each damaged chunk, by chunk id
     * @param chunksChecked chunks read, damaged ones included
     * @param bytesChecked  plaintext bytes of the chunks that authenticated
     */
    record Outcome(Map<String, CorruptObjectException> damaged, long chunksChecked, long bytesChecked) {
    }

    private record ChunkResult(ChunkRef ref, CorruptObjectException failure) {
    }

    private ChunkVerification() {
    }

    /** Checks each chunk of {@code chunks} (which must hold no duplicates) once. */
    static Outcome run(ChunkStore store, Collection<ChunkRef> chunks, int jobs, ProgressListener progress) {
        // every chunk is authenticated and re-hashed: get both compiled before the first chunks arrive
        JitWarmUp.start();
        int workers = Math.max(1, jobs);
        long totalBytes = chunks.stream().mapToLong(ChunkRef::size).sum();
        Map<String, CorruptObjectException> damaged = new LinkedHashMap<>();
        long checked = 0;
        long goodBytes = 0;
        long doneBytes = 0;
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "cellar-verify");
            t.setDaemon(true);
            return t;
        });
        Deque<Future<ChunkResult>> inFlight = new ArrayDeque<>();
        try {
            var pending = chunks.iterator();
            while (pending.hasNext() || !inFlight.isEmpty()) {
                while (pending.hasNext() && inFlight.size() < 2 * workers) {
                    ChunkRef ref = pending.next();
                    inFlight.add(pool.submit(() -> check(store, ref)));
                }
                ChunkResult result = await(inFlight.pollFirst());
                checked++;
                doneBytes += result.ref().size();
                if (result.failure() == null) {
                    goodBytes += result.ref().size();
                } else {
                    damaged.put(result.ref().id(), result.failure());
                }
                progress.progress(PHASE, doneBytes, totalBytes);
            }
        } finally {
            inFlight.forEach(f -> f.cancel(true));
            pool.shutdownNow();
        }
        return new Outcome(damaged, checked, goodBytes);
    }

    /** Reads one chunk and drops its bytes; damage is a result, any other failure aborts the run. */
    private static ChunkResult check(ChunkStore store, ChunkRef ref) {
        try {
            store.get(ref);
            return new ChunkResult(ref, null);
        } catch (CorruptObjectException e) {
            return new ChunkResult(ref, e);
        }
    }

    private static ChunkResult await(Future<ChunkResult> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while verifying chunks");
        } catch (ExecutionException e) {
            // not damage but a storage that cannot be read at all: no verdict is possible
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new CellarException(ErrorCode.INTERNAL, "verifying a chunk failed: " + e.getCause(), null, e.getCause());
        }
    }
}
