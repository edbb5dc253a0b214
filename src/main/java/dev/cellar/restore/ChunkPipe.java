package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands a stream's bytes from the thread that reads chunks to the thread that parses them through
 * a fixed set of reused segments, so the bytes between the two threads never exceed
 * {@code segments × segmentBytes} whatever the chunk size, and the pipe allocates nothing once
 * they exist (a copy per chunk was garbage the collector promoted and let the heap grow on).
 * Unlike a plain pipe, the writer's failure reaches the reader as that failure (a damaged chunk
 * stays an integrity error, never a short archive), and a reader that gives up releases a writer
 * blocked on a full pipe.
 */
final class ChunkPipe {
    /** Bytes {@code length} of {@code bytes}; the end of the stream when {@code bytes} is null. */
    private record Segment(byte[] bytes, int length) {
    }

    private static final Segment END = new Segment(null, 0);

    private final int segmentBytes;
    private final int segmentCount;
    /** Segments written and not yet read, plus the end mark. */
    private final BlockingQueue<Segment> filled;
    /** Segments read, for the writer to fill again. */
    private final BlockingQueue<byte[]> empty;
    private int allocated;
    private volatile Throwable writerFailure;
    private volatile boolean readerGone;

    ChunkPipe(int segmentCount, int segmentBytes) {
        this.segmentCount = segmentCount;
        this.segmentBytes = segmentBytes;
        this.filled = new ArrayBlockingQueue<>(segmentCount + 1);
        this.empty = new ArrayBlockingQueue<>(segmentCount);
    }

    /** The most bytes the pipe ever holds. */
    long capacityBytes() {
        return (long) segmentCount * segmentBytes;
    }

    /** How many segments were created; never more than the count given. */
    synchronized int segmentsAllocated() {
        return allocated;
    }

    /** The writing end; closing it marks the end of the stream. */
    OutputStream sink() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    byte[] segment = emptySegment();
                    int n = Math.min(len, segment.length);
                    System.arraycopy(b, off, segment, 0, n);
                    put(new Segment(segment, n));
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void close() throws IOException {
                put(END);
            }
        };
    }

    /** The writer failed: the reader sees {@code failure} once it has read what came before. */
    void fail(Throwable failure) {
        writerFailure = failure;
        try {
            put(END);
        } catch (IOException | CellarException ignored) {
            // the reader is gone or this thread is interrupted: nobody is left to tell
        }
    }

    /** The reader stops: a writer blocked on the full pipe gets an error instead of waiting forever. */
    void abandon() {
        readerGone = true;
        filled.clear();
    }

    private byte[] emptySegment() throws IOException {
        byte[] segment = empty.poll();
        if (segment != null) {
            return segment;
        }
        synchronized (this) {
            if (allocated < segmentCount) {
                allocated++;
                return new byte[segmentBytes];
            }
        }
        try {
            for (segment = empty.poll(100, TimeUnit.MILLISECONDS); segment == null; segment = empty.poll(100, TimeUnit.MILLISECONDS)) {
                if (readerGone) {
                    throw new IOException("the restore stopped reading the archive");
                }
            }
            return segment;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while reading chunks");
        }
    }

    private void put(Segment segment) throws IOException {
        try {
            // room for every segment and the end mark: this waits only when the reader is slow to take them
            while (!filled.offer(segment, 100, TimeUnit.MILLISECONDS)) {
                if (readerGone) {
                    throw new IOException("the restore stopped reading the archive");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while reading chunks");
        }
    }

    /** The reading end. */
    InputStream source() {
        return new InputStream() {
            private Segment current = new Segment(new byte[0], 0);
            private int at;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (at == current.length()) {
                    if (ended || !next()) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length() - at);
                System.arraycopy(current.bytes(), at, b, off, n);
                at += n;
                return n;
            }

            private boolean next() throws IOException {
                if (current.bytes().length == segmentBytes) {
                    empty.offer(current.bytes());
                }
                Segment segment;
                try {
                    segment = filled.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while reading chunks");
                }
                if (segment == END) {
                    ended = true;
                    current = new Segment(new byte[0], 0);
                    at = 0;
                    Throwable failure = writerFailure;
                    if (failure instanceof RuntimeException r) {
                        throw r;
                    }
                    if (failure != null) {
                        throw new IOException(failure.getMessage(), failure);
                    }
                    return false;
                }
                current = segment;
                at = 0;
                return true;
            }
        };
    }
}
