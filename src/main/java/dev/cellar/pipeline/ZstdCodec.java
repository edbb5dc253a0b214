package dev.cellar.pipeline;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.nio.ByteBuffer;

/**
 * Compression of one chunk. A chunk that does not shrink is stored raw, so already-compressed
 * data (bytea images, pre-compressed columns) costs no CPU on restore.
 *
 * <p>Above level {@value #FAST_LEVEL} the level adapts to the data: the start of each chunk is
 * first compressed at level 1, and a chunk that shrinks more than {@value #HIGHLY_COMPRESSIBLE}
 * times (blank-padded columns, repeated values) is compressed at level {@value #FAST_LEVEL}.
 * On such data the higher levels save almost nothing and are two to three times slower; on
 * ordinary table text they are what makes the output smaller than {@code pg_dump -Z9}'s.
 */
public final class ZstdCodec {
    static final byte RAW = 0;
    static final byte ZSTD = 1;
    static final int FAST_LEVEL = 3;
    static final int HIGHLY_COMPRESSIBLE = 8;
    private static final int PROBE_BYTES = 32 * 1024;

    private final int level;
    /** Contexts per thread: creating one per chunk costs more than compressing it. */
    private final ThreadLocal<ZstdCompressCtx> contexts;
    private final ThreadLocal<ZstdCompressCtx> fastContexts;
    private final ThreadLocal<ZstdCompressCtx> probeContexts;

    public ZstdCodec(int level) {
        if (level < 1 || level > 19) {
            throw new IllegalArgumentException("zstd level must be 1..19, got " + level);
        }
        this.level = level;
        this.contexts = ThreadLocal.withInitial(() -> new ZstdCompressCtx().setLevel(level));
        this.fastContexts = ThreadLocal.withInitial(() -> new ZstdCompressCtx().setLevel(FAST_LEVEL));
        this.probeContexts = ThreadLocal.withInitial(() -> new ZstdCompressCtx().setLevel(1));
    }

    /** Returns [format byte][payload]. */
    public byte[] encode(byte[] data, int offset, int length) {
        byte[] out = new byte[1 + (int) Zstd.compressBound(length)];
        int n = contextFor(data, offset, length, out).compressByteArray(out, 1, out.length - 1, data, offset, length);
        if (n < length) {
            out[0] = ZSTD;
            return java.util.Arrays.copyOf(out, 1 + (int) n);
        }
        return prefixed(RAW, data, offset, length);
    }

    /**
     * One zstd frame of {@code data[offset, offset + length)}, compressed as {@link #encode} would,
     * without the format byte: a piece for {@link #encodeFromFrames}.
     */
    public byte[] frame(byte[] data, int offset, int length) {
        byte[] out = new byte[1 + (int) Zstd.compressBound(length)];
        int n = contextFor(data, offset, length, out).compressByteArray(out, 0, out.length, data, offset, length);
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * The encoding of {@code plain} from the frames of its consecutive pieces, compressed earlier
     * with {@link #frame}: zstd reads concatenated frames as one stream, so {@link #decode} needs
     * nothing new. Raw, as {@link #encode} would store it, when the frames do not shrink it.
     */
    public static byte[] encodeFromFrames(java.util.List<byte[]> frames, byte[] plain) {
        long total = 0;
        for (byte[] frame : frames) {
            total += frame.length;
        }
        if (total >= plain.length) {
            return prefixed(RAW, plain, 0, plain.length);
        }
        byte[] out = new byte[1 + (int) total];
        out[0] = ZSTD;
        int at = 1;
        for (byte[] frame : frames) {
            System.arraycopy(frame, 0, out, at, frame.length);
            at += frame.length;
        }
        return out;
    }

    /** The configured level's context, or the fast one for data a quick probe finds highly compressible. */
    private ZstdCompressCtx contextFor(byte[] data, int offset, int length, byte[] scratch) {
        if (level <= FAST_LEVEL || length < 2 * PROBE_BYTES) {
            return contexts.get();
        }
        int probed = probeContexts.get().compressByteArray(scratch, 1, scratch.length - 1, data, offset, PROBE_BYTES);
        return (long) probed * HIGHLY_COMPRESSIBLE < PROBE_BYTES ? fastContexts.get() : contexts.get();
    }

    /**
     * Inverse of {@link #encode} for bytes whose size nothing else records (a manifest): the zstd
     * frame's header holds it, as zstd writes it for every frame compressed in one call.
     */
    public static byte[] decode(byte[] encoded) {
        if (encoded.length == 0) {
            throw new IllegalArgumentException("empty encoded payload");
        }
        if (encoded[0] != ZSTD) {
            return decode(encoded, encoded.length - 1);
        }
        long size = Zstd.getFrameContentSize(encoded, 1, encoded.length - 1);
        if (size < 0 || size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the zstd frame does not record a usable size (" + size + ")");
        }
        return decode(encoded, (int) size);
    }

    /** Inverse of {@link #encode}; {@code expectedLength} is the plaintext size from the manifest. */
    public static byte[] decode(byte[] encoded, int expectedLength) {
        if (encoded.length == 0) {
            throw new IllegalArgumentException("empty encoded chunk");
        }
        byte format = encoded[0];
        if (format == RAW) {
            if (encoded.length - 1 != expectedLength) {
                throw new IllegalArgumentException("raw payload has " + (encoded.length - 1) + " bytes, expected " + expectedLength);
            }
            byte[] out = new byte[encoded.length - 1];
            System.arraycopy(encoded, 1, out, 0, out.length);
            return out;
        }
        if (format == ZSTD) {
            byte[] out = new byte[expectedLength];
            long n;
            try {
                n = Zstd.decompressByteArray(out, 0, out.length, encoded, 1, encoded.length - 1);
            } catch (ZstdException e) {
                // zstd-jni throws, rather than returning an error code, when the output is too small
                throw new IllegalArgumentException("zstd payload does not decode to " + expectedLength + " bytes: " + e.getMessage());
            }
            if (Zstd.isError(n) || n != expectedLength) {
                throw new IllegalArgumentException("zstd payload does not decode to " + expectedLength + " bytes");
            }
            return out;
        }
        throw new IllegalArgumentException("unknown chunk encoding " + format);
    }

    /**
     * As {@link #decode}, into {@code out}, a direct buffer with room for {@code expectedLength}:
     * when the bytes go on to a file, they are then written from where they were decompressed,
     * without the array {@code decode} allocates and zeroes, nor the JDK's copy of it into native
     * memory for the write (2 × 1.5 GB of copying in a physical restore of 1.5 GB). Returns
     * {@code out} with the plaintext between position 0 and its limit.
     */
    public static ByteBuffer decodeInto(byte[] encoded, ByteBuffer out, int expectedLength) {
        if (encoded.length == 0) {
            throw new IllegalArgumentException("empty encoded chunk");
        }
        if (!out.isDirect() || out.capacity() < expectedLength) {
            throw new IllegalArgumentException("needs a direct buffer of at least " + expectedLength + " bytes");
        }
        out.clear();
        byte format = encoded[0];
        if (format == RAW) {
            if (encoded.length - 1 != expectedLength) {
                throw new IllegalArgumentException("raw payload has " + (encoded.length - 1) + " bytes, expected " + expectedLength);
            }
            out.put(encoded, 1, expectedLength);
        } else if (format == ZSTD) {
            int n;
            try (ZstdDecompressCtx context = new ZstdDecompressCtx()) {
                n = context.decompressByteArrayToDirectByteBuffer(out, 0, expectedLength, encoded, 1, encoded.length - 1);
            } catch (ZstdException e) {
                throw new IllegalArgumentException("zstd payload does not decode to " + expectedLength + " bytes: " + e.getMessage());
            }
            if (n != expectedLength) {
                throw new IllegalArgumentException("zstd payload does not decode to " + expectedLength + " bytes");
            }
        } else {
            throw new IllegalArgumentException("unknown chunk encoding " + format);
        }
        return out.position(0).limit(expectedLength);
    }

    private static byte[] prefixed(byte format, byte[] data, int offset, int length) {
        byte[] out = new byte[length + 1];
        out[0] = format;
        System.arraycopy(data, offset, out, 1, length);
        return out;
    }
}
