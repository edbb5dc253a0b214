package dev.cellar.pg;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * pg_dump's custom-archive primitives (integers as a sign byte and {@code intSize} little-endian
 * bytes, strings length-prefixed), read from the start of an archive file while counting the
 * position, which the archive's data offsets are measured in.
 */
final class ArchiveFields implements AutoCloseable {
    private static final int FORMAT_CUSTOM = 1;

    /**
     * What the header says that the table of contents is read by: the archive's minor version and its offset size,
     * and whether pg_dump compressed the data blocks.
     */
    record Header(int minor, int offsetSize, boolean compressed) {
    }

    /** The header does not describe a custom-format archive of a version this reader knows (1.12 to 1.16). */
    static final class UnknownFormatException extends IOException {
        UnknownFormatException(String message) {
            super(message);
        }
    }
    private final InputStream in;
    /**
     * Its own read buffer rather than a BufferedInputStream, whose every one-byte read takes a
     * lock: a streamed restore reads a length field per row of table data, millions of them.
     */
    private final byte[] buffer = new byte[1 << 16];
    private int next;
    private int limit;
    private long position;
    int intSize = 4;

    ArchiveFields(InputStream raw) {
        this.in = raw;
    }

    long position() {
        return position;
    }

    int read() throws IOException {
        if (next == limit && !fill()) {
            return -1;
        }
        position++;
        return buffer[next++] & 0xff;
    }

    /** Refills the empty buffer; false at the end of the input. */
    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        next = 0;
        limit = n;
        return true;
    }

    /** Up to {@code length} bytes into {@code into}: what is buffered first, then straight from the input. */
    private int readUpTo(byte[] into, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            if (next == limit) {
                if (length - done >= buffer.length) {
                    int n = in.readNBytes(into, offset + done, length - done);
                    done += n;
                    break;
                }
                if (!fill()) {
                    break;
                }
            }
            int n = Math.min(length - done, limit - next);
            System.arraycopy(buffer, next, into, offset + done, n);
            next += n;
            done += n;
        }
        position += done;
        return done;
    }

    int unsignedByte() throws IOException {
        int b = read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        if (readUpTo(out, 0, n) < n) {
            throw new EOFException();
        }
        return out;
    }

    /** Reads exactly {@code length} bytes into {@code into} at {@code offset}. */
    void readFully(byte[] into, int offset, int length) throws IOException {
        if (readUpTo(into, offset, length) < length) {
            throw new EOFException();
        }
    }

    /** pg_dump's WriteInt: a sign byte, then {@code intSize} bytes, least significant first. */
    int readInt() throws IOException {
        boolean negative = unsignedByte() != 0;
        long value = 0;
        for (int i = 0; i < intSize; i++) {
            value |= (long) unsignedByte() << (8 * i);
        }
        return (int) (negative ? -value : value);
    }

    /** The length of the next string, after skipping its bytes; -1 for a null string. */
    int readStringLength() throws IOException {
        int length = readInt();
        if (length > 0) {
            skip(length);
        }
        return length;
    }

    /** A string, or null for pg_dump's null string. */
    String string() throws IOException {
        int length = readInt();
        return length < 0 ? null : new String(bytes(length), StandardCharsets.UTF_8);
    }

    void skipString() throws IOException {
        readStringLength();
    }

    void skip(long n) throws IOException {
        long buffered = Math.min(n, limit - next);
        next += (int) buffered;
        long remaining = n - buffered;
        while (remaining > 0) {
            long skipped = in.skip(remaining);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                skipped = 1;
            }
            remaining -= skipped;
        }
        position += n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Reads the header up to the first entry of the table of contents, and sets {@link #intSize}.
     *
     * @throws UnknownFormatException naming what does not fit, for anything but a custom-format archive of 1.12 to 1.16
     */
    Header header() throws IOException {
        if (!"PGDMP".equals(new String(bytes(5), StandardCharsets.US_ASCII))) {
            throw new UnknownFormatException("is not a pg_dump custom-format archive");
        }
        int major = unsignedByte();
        int minor = unsignedByte();
        unsignedByte();
        if (major != 1 || minor < 12 || minor > 16) {
            throw new UnknownFormatException("has archive version " + major + "." + minor + "; Cellar reads versions 1.12 to 1.16");
        }
        intSize = unsignedByte();
        int offsetSize = unsignedByte();
        if (unsignedByte() != FORMAT_CUSTOM) {
            throw new UnknownFormatException("is not in pg_dump's custom format");
        }
        boolean compressed;
        if (minor >= 15) {
            compressed = unsignedByte() != 0;   // compression algorithm, 0 for none
        } else {
            compressed = readInt() != 0;        // compression level, 0 for none (-1 is zlib's default)
        }
        for (int i = 0; i < 7; i++) {
            readInt();               // creation time
        }
        skipString();                // database name
        skipString();                // server version
        skipString();                // pg_dump version
        return new Header(minor, offsetSize, compressed);
    }
}
