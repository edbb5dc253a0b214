package dev.cellar.repo;

import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a stored stream back in order, fetching and checking the next chunks in parallel while
 * the current one is written out. Every chunk is authenticated and re-hashed; the first bad
 * one stops the read with the object's name.
 */
public final class StreamReader implements AutoCloseable {
    private final Repository repository;
    private final int jobs;
    private final ExecutorService workers;

    public StreamReader(Repository repository, int jobs) {
        this.repository = repository;
        this.jobs = Math.max(1, jobs) * repository.storage().requestsPerWorker();
        JitWarmUp.start();
        this.workers = Executors.newFixedThreadPool(this.jobs, r -> {
            Thread t = new Thread(r, "cellar-chunk-reader");
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes the stream's bytes to {@code out} (or only checks them when {@code out} is null). */
    public long read(BackupManifest.StreamEntry stream, OutputStream out, ProgressListener progress) throws IOException {
        List<ChunkRef> chunks = stream.chunks();
        Deque<Future<byte[]>> ahead = new ArrayDeque<>();
        int next = 0;
        long done = 0;
        try {
            while (next < chunks.size() || !ahead.isEmpty()) {
                while (next < chunks.size() && ahead.size() < 2 * jobs) {
                    ChunkRef ref = chunks.get(next++);
                    ahead.add(workers.submit(() -> repository.chunks().get(ref)));
                }
                byte[] data = await(ahead.pollFirst());
                if (out != null) {
                    out.write(data);
                }
                done += data.length;
                progress.progress(stream.name(), done, stream.size());
            }
        } finally {
            ahead.forEach(f -> f.cancel(true));
        }
        return done;
    }

    private static byte[] await(Future<byte[]> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while reading chunks");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CellarException ce) {
                throw ce;
            }
            throw new IOException("reading a chunk failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
