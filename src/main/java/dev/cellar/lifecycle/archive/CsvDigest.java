package dev.cellar.lifecycle.archive;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Watches CSV text go by (PostgreSQL's CSV: fields quoted with {@code "}, quotes inside doubled) and
 * tells its SHA-256, its length and how many records follow the header line. A newline inside a
 * quoted field is part of the field, so the count is of records, not of lines.
 */
final class CsvDigest extends OutputStream {
    private final MessageDigest sha256;
    private long bytes;
    private long lineEnds;
    private boolean quoted;
    private int last = -1;

    CsvDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static CsvDigest of(byte[] csv) {
        CsvDigest digest = new CsvDigest();
        digest.write(csv, 0, csv.length);
        return digest;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        sha256.update(data, offset, length);
        bytes += length;
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (b == '"') {
                quoted = !quoted;
            } else if (b == '\n' && !quoted) {
                lineEnds++;
            }
            last = b;
        }
    }

    /** Records after the header; a last line without its newline still counts. */
    long records() {
        long lines = lineEnds + (bytes > 0 && last != '\n' ? 1 : 0);
        return Math.max(0, lines - 1);
    }

    long bytes() {
        return bytes;
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(((MessageDigest) cloneDigest()).digest());
    }

    private Object cloneDigest() {
        try {
            return sha256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] data) {
        return of(data).sha256Hex();
    }
}
