package dev.cellar.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Formats rows in PostgreSQL's COPY text format and hands them on in chunks of about
 * {@value #CHUNK_CHARS} characters, so a table of any size streams through bounded memory.
 * Values are written field by field; {@link #endRow()} closes the row.
 */
final class RowWriter implements AutoCloseable {
    /** Where formatted COPY data goes: the server's COPY IN stream, or a digest in tests. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] data, int length) throws IOException;
    }

    private static final int CHUNK_CHARS = 256 * 1024;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Sink sink;
    private final StringBuilder buffer = new StringBuilder(CHUNK_CHARS + 8192);
    private boolean rowStarted;
    private long rows;

    RowWriter(Sink sink) {
        this.sink = sink;
    }

    RowWriter text(String value) {
        if (value == null) {
            return nul();
        }
        separate();
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> buffer.append("\\\\");
                case '\t' -> buffer.append("\\t");
                case '\n' -> buffer.append("\\n");
                case '\r' -> buffer.append("\\r");
                default -> buffer.append(c);
            }
        }
        return this;
    }

    RowWriter number(long value) {
        separate();
        buffer.append(value);
        return this;
    }

    /** A numeric(…,2) amount given in cents. */
    RowWriter money(long cents) {
        separate();
        if (cents < 0) {
            buffer.append('-');
            cents = -cents;
        }
        buffer.append(cents / 100).append('.');
        long rest = cents % 100;
        if (rest < 10) {
            buffer.append('0');
        }
        buffer.append(rest);
        return this;
    }

    RowWriter bool(boolean value) {
        separate();
        buffer.append(value ? 't' : 'f');
        return this;
    }

    /** A timestamptz, written as UTC. */
    RowWriter timestamp(long epochSecond) {
        separate();
        Timestamps.appendTimestamp(buffer, epochSecond);
        return this;
    }

    RowWriter date(long epochDay) {
        separate();
        Timestamps.appendDate(buffer, epochDay);
        return this;
    }

    RowWriter bytea(byte[] value) {
        separate();
        buffer.append("\\\\x");
        for (byte b : value) {
            buffer.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return this;
    }

    RowWriter nul() {
        separate();
        buffer.append("\\N");
        return this;
    }

    void endRow() {
        buffer.append('\n');
        rowStarted = false;
        rows++;
        if (buffer.length() >= CHUNK_CHARS) {
            flush();
        }
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        flush();
    }

    private void separate() {
        if (rowStarted) {
            buffer.append('\t');
        }
        rowStarted = true;
    }

    private void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        buffer.setLength(0);
        try {
            sink.write(bytes, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
