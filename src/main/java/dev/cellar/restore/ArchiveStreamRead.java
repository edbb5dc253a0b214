package dev.cellar.restore;

import dev.cellar.pg.ArchiveStream;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.StreamReader;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A stored archive read front to back while it is being parsed: one thread fetches and
 * authenticates the chunks in order ({@link StreamReader}) into a bounded {@link ChunkPipe}, the
 * caller parses them as an {@link ArchiveStream}. A damaged chunk reaches the caller as the
 * integrity error, at the point of the stream where it lies.
 */
final class ArchiveStreamRead implements AutoCloseable {
    /**
     * Bytes between the two threads: 16 segments of 512 KiB, 8 MiB whatever the chunk size. The
     * reader fetches {@code 2 × jobs} chunks ahead besides, so the pipe only smooths the handover.
     */
    static final int PIPE_SEGMENTS = 16;
    static final int PIPE_SEGMENT_BYTES = 512 << 10;

    private final StreamReader reader;
    private final ChunkPipe pipe = new ChunkPipe(PIPE_SEGMENTS, PIPE_SEGMENT_BYTES);
    private final ArchiveStream archive;
    private final Thread thread;

    ArchiveStreamRead(Repository repository, BackupManifest.StreamEntry stream, int jobs, ProgressListener progress) {
        this.reader = new StreamReader(repository, jobs);
        this.archive = new ArchiveStream(pipe.source());
        this.thread = new Thread(() -> {
            // the end is marked only after a complete read: a failure must never look like the end of the archive
            try {
                OutputStream sink = pipe.sink();
                reader.read(stream, sink, progress);
                sink.close();
            } catch (IOException | RuntimeException e) {
                pipe.fail(e);
            }
        }, "cellar-archive-stream");
        thread.setDaemon(true);
        thread.start();
    }

    ArchiveStream archive() {
        return archive;
    }

    /** Stops reading (when the restore failed or chose the other path) and waits for the reading thread. */
    @Override
    public void close() {
        pipe.abandon();
        reader.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
