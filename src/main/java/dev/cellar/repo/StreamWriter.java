package dev.cellar.repo;

import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.ZstdCodec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Stores one byte stream as chunks in a single pass: the calling thread reads and cuts chunks;
 * {@code jobs} workers (times {@link dev.cellar.storage.Storage#requestsPerWorker} of the
 * repository's storage) hash, compress, encrypt and write them. At most two chunks per worker
 * are in flight, so memory stays bounded (a few times the maximum chunk size per worker)
 * whatever the stream's length.
 */
public final class StreamWriter implements AutoCloseable {
    private final Repository repository;
    private final ChunkStore chunks;
    private final ZstdCodec codec;
    private final int jobs;
    private final ExecutorService workers;

    public StreamWriter(Repository repository, int compressionLevel, int jobs) {
        this(repository, repository.chunks(), compressionLevel, jobs);
    }

    /** Writes through {@code chunks}: a locked backup passes {@link ChunkStore#lockedUntil its locked view}. */
    public StreamWriter(Repository repository, ChunkStore chunks, int compressionLevel, int jobs) {
        this.repository = repository;
        this.chunks = chunks;
        this.codec = new ZstdCodec(compressionLevel);
        JitWarmUp.start();
        this.jobs = Math.max(1, jobs) * repository.storage().requestsPerWorker();
        this.workers = Executors.newFixedThreadPool(this.jobs, r -> {
            Thread t = new Thread(r, "cellar-chunk-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** The stored stream and how many bytes it added to the repository. */
    public record Written(BackupManifest.StreamEntry stream, long newChunks, long newPlainBytes, long storedBytes) {
    }

    public Written write(String name, String format, InputStream in, ProgressListener progress) throws IOException {
        Semaphore inFlight = new Semaphore(2 * jobs);
        Deque<Future<ChunkStore.Stored>> pending = new ArrayDeque<>();
        List<ChunkRef> refs = new ArrayList<>();
        long[] stored = {0, 0, 0};
        long[] read = {0};
        try {
            repository.chunker().split(in, (buffer, offset, length) -> {
                byte[] chunk = Arrays.copyOfRange(buffer, offset, offset + length);
                acquire(inFlight);
                pending.add(workers.submit(() -> {
                    try {
                        String id = chunks.idOf(chunk, 0, chunk.length);
                        return chunks.put(id, chunk, 0, chunk.length, codec);
                    } finally {
                        inFlight.release();
                    }
                }));
                read[0] += length;
                progress.progress(name, read[0], -1);
                while (!pending.isEmpty() && pending.peekFirst().isDone()) {
                    collect(pending.pollFirst(), refs, stored);
                }
            });
            while (!pending.isEmpty()) {
                collect(pending.pollFirst(), refs, stored);
            }
        } finally {
            pending.forEach(f -> f.cancel(true));
        }
        long size = refs.stream().mapToLong(ChunkRef::size).sum();
        return new Written(new BackupManifest.StreamEntry(name, format, size, List.copyOf(refs)), stored[1], stored[2], stored[0]);
    }

    /** Adds a finished chunk to the stream; {@code stored} sums stored bytes, new chunks, new plain bytes. */
    private static void collect(Future<ChunkStore.Stored> future, List<ChunkRef> refs, long[] stored) throws IOException {
        try {
            ChunkStore.Stored result = future.get();
            refs.add(result.ref());
            stored[0] += result.storedBytes();
            if (result.storedBytes() > 0) {
                stored[1]++;
                stored[2] += result.ref().size();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while storing chunks");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CellarException ce) {
                throw ce;
            }
            throw new IOException("storing a chunk failed: " + e.getCause(), e.getCause());
        }
    }

    private static void acquire(Semaphore semaphore) {
        try {
            semaphore.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while storing chunks");
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
