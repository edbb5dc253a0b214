package dev.cellar.pipeline;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;

/**
 * Compression of one chunk. A chunk that does not shrink is stored raw, so already-compressed
 * data (bytea images, pre-compressed columns) costs no CPU on restore.
 */
public final class ZstdCodec {
    static final byte RAW = 0;
    static final byte ZSTD = 1;

    /** One compression context per thread: creating one per chunk costs more than compressing it. */
    private final ThreadLocal<ZstdCompressCtx> contexts;

    public ZstdCodec(int level) {
        if (level < 1 || level > 19) {
            throw new IllegalArgumentException("zstd level must be 1..19, got " + level);
        }
        this.contexts = ThreadLocal.withInitial(() -> new ZstdCompressCtx().setLevel(level));
    }

    /** Returns [format byte][payload]. */
    public byte[] encode(byte[] data, int offset, int length) {
        byte[] out = new byte[1 + (int) Zstd.compressBound(length)];
        int n = contexts.get().compressByteArray(out, 1, out.length - 1, data, offset, length);
        if (n < length) {
            out[0] = ZSTD;
            return java.util.Arrays.copyOf(out, 1 + (int) n);
        }
        return prefixed(RAW, data, offset, length);
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

    private static byte[] prefixed(byte format, byte[] data, int offset, int length) {
        byte[] out = new byte[length + 1];
        out[0] = format;
        System.arraycopy(data, offset, out, 1, length);
        return out;
    }
}
