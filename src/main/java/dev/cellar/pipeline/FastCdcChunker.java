package dev.cellar.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * Content-defined chunking (FastCDC with normalised chunking): cut points depend on the bytes
 * around them, not on offsets, so an insertion early in a dump moves only the chunks it touches
 * and everything after it still deduplicates. The gear table is derived from a per-repository
 * secret seed, so chunk boundaries do not reveal content to whoever holds the storage.
 *
 * <p>The first chunk of every stream is cut small (a sixteenth of the usual sizes): stream
 * headers, such as pg_dump's archive header with its timestamp, change on every run, and a small
 * first chunk keeps that change from costing a whole average-sized chunk per backup.
 *
 * <p>Memory: one buffer of twice the maximum chunk size, whatever the stream length.
 */
public final class FastCdcChunker {

    /** Receives each chunk; the array is reused after the call returns, copy what you keep. */
    @FunctionalInterface
    public interface ChunkSink {
        void accept(byte[] buffer, int offset, int length) throws IOException;
    }

    private final ChunkerParameters parameters;
    private final long[] gear = new long[256];
    private final long maskSmall;
    private final long maskLarge;
    private final ChunkerParameters firstChunk;
    private final long firstMaskSmall;
    private final long firstMaskLarge;

    public FastCdcChunker(ChunkerParameters parameters, long seed) {
        this.parameters = parameters;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < gear.length; i++) {
            gear[i] = random.nextLong();
        }
        int bits = 31 - Integer.numberOfLeadingZeros(parameters.avgSize());
        // Normalisation level 2: harder to cut before the average, easier after it.
        maskSmall = spreadMask(bits + 2);
        maskLarge = spreadMask(bits - 2);
        firstChunk = new ChunkerParameters(Math.max(1, parameters.minSize() / 16), Math.max(2, parameters.avgSize() / 16),
                Math.max(4, parameters.maxSize() / 16));
        firstMaskSmall = spreadMask(bits - 4 + 2);
        firstMaskLarge = spreadMask(bits - 4 - 2);
    }

    public ChunkerParameters parameters() {
        return parameters;
    }

    /** The smaller bounds that apply to the first chunk of every stream. */
    public ChunkerParameters firstChunkParameters() {
        return firstChunk;
    }

    /** Splits the whole stream into chunks, in order; returns the number of bytes read. */
    public long split(InputStream in, ChunkSink sink) throws IOException {
        int max = parameters.maxSize();
        byte[] buffer = new byte[2 * max];
        int start = 0;
        int end = 0;
        long total = 0;
        boolean eof = false;
        boolean firstPending = true;
        while (true) {
            if (!eof && end - start < max) {
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                while (end < buffer.length) {
                    int n = in.read(buffer, end, buffer.length - end);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    end += n;
                    total += n;
                }
            }
            if (start == end) {
                return total;
            }
            int length = firstPending
                    ? cutPoint(buffer, start, end - start, firstChunk, firstMaskSmall, firstMaskLarge)
                    : cutPoint(buffer, start, end - start);
            firstPending = false;
            sink.accept(buffer, start, length);
            start += length;
        }
    }

    /** Length of the next chunk among the {@code available} bytes at {@code offset}. */
    int cutPoint(byte[] data, int offset, int available) {
        return cutPoint(data, offset, available, parameters, maskSmall, maskLarge);
    }

    private int cutPoint(byte[] data, int offset, int available, ChunkerParameters bounds, long maskSmall, long maskLarge) {
        int min = bounds.minSize();
        if (available <= min) {
            return available;
        }
        int limit = Math.min(available, bounds.maxSize());
        int normal = Math.min(limit, bounds.avgSize());
        long hash = 0;
        int i = min;
        for (; i < normal; i++) {
            hash = (hash << 1) + gear[data[offset + i] & 0xff];
            if ((hash & maskSmall) == 0) {
                return i + 1;
            }
        }
        for (; i < limit; i++) {
            hash = (hash << 1) + gear[data[offset + i] & 0xff];
            if ((hash & maskLarge) == 0) {
                return i + 1;
            }
        }
        return limit;
    }

    /** A mask with {@code bits} one-bits spread over the upper 48 bits, as FastCDC recommends. */
    private static long spreadMask(int bits) {
        long mask = 0;
        int placed = 0;
        int position = 63;
        int step = Math.max(1, 48 / Math.max(1, bits));
        while (placed < bits && position >= 0) {
            mask |= 1L << position;
            placed++;
            position -= step;
        }
        return mask;
    }
}
