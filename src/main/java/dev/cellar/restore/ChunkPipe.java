package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands a stream's bytes from the thread that reads chunks to the thread that parses them, a
 * bounded number of buffers at a time. Unlike a plain pipe, the writer's failure reaches the
 * reader as that failure (a damaged chunk stays an integrity error, never a short archive), and a
 * reader that gives up releases a writer blocked on a full pipe.
 */
final class ChunkPipe {
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> buffers;
    private volatile Throwable writerFailure;
    private volatile boolean readerGone;

    ChunkPipe(int capacity) {
        this.buffers = new ArrayBlockingQueue<>(capacity);
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
                if (len > 0) {
                    put(Arrays.copyOfRange(b, off, off + len));
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
        buffers.clear();
    }

    private void put(byte[] buffer) throws IOException {
        try {
            while (!buffers.offer(buffer, 100, TimeUnit.MILLISECONDS)) {
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
            private byte[] current = new byte[0];
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
                while (at == current.length) {
                    if (ended || !next()) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length - at);
                System.arraycopy(current, at, b, off, n);
                at += n;
                return n;
            }

            private boolean next() throws IOException {
                byte[] buffer;
                try {
                    buffer = buffers.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while reading chunks");
                }
                if (buffer == END) {
                    ended = true;
                    Throwable failure = writerFailure;
                    if (failure instanceof RuntimeException r) {
                        throw r;
                    }
                    if (failure != null) {
                        throw new IOException(failure.getMessage(), failure);
                    }
                    return false;
                }
                current = buffer;
                at = 0;
                return true;
            }
        };
    }
}
