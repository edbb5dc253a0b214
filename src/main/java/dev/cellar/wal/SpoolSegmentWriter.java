package dev.cellar.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * Writes streamed WAL of one timeline into the spool with pg_receivewal's file conventions, so
 * the shipper cannot tell the two apart: a segment is {@code <name>.partial}, filled with zeros
 * to its full size when created (a full disk fails then, not in the middle of a write), and is
 * renamed to {@code <name>} once its last byte is written and on disk.
 */
final class SpoolSegmentWriter implements AutoCloseable {
    private static final int ZERO_BLOCK = 1 << 20;

    private final Path folder;
    private final int timeline;
    private final long segmentSize;
    private FileChannel current;
    private long currentSegment = -1;
    private long written = -1;
    private boolean unflushed;

    SpoolSegmentWriter(Path folder, int timeline, long segmentSize) {
        this.folder = folder;
        this.timeline = timeline;
        this.segmentSize = segmentSize;
    }

    /** Writes {@code data}, which the server sent for position {@code startLsn}; it may span segments. */
    void write(long startLsn, ByteBuffer data) throws IOException {
        long lsn = startLsn;
        while (data.hasRemaining()) {
            long segment = lsn / segmentSize;
            long offset = lsn % segmentSize;
            if (segment != currentSegment) {
                closeCurrent();
                open(segment);
            }
            int length = (int) Math.min(data.remaining(), segmentSize - offset);
            ByteBuffer part = data.slice(data.position(), length);
            long at = offset;
            while (part.hasRemaining()) {
                at += current.write(part, at);
            }
            data.position(data.position() + length);
            lsn += length;
            unflushed = true;
            if (offset + length == segmentSize) {
                complete();
            }
        }
        written = lsn;
    }

    /** Puts what was written on disk; returns the position up to which the spool is safe (-1: nothing written). */
    long flush() throws IOException {
        if (unflushed && current != null) {
            current.force(false);
        }
        unflushed = false;
        return written;
    }

    /** Flushes and closes; a segment not yet complete stays {@code .partial}. */
    @Override
    public void close() throws IOException {
        flush();
        closeCurrent();
    }

    private void open(long segment) throws IOException {
        String name = WalFileName.segment(timeline, segment, segmentSize).name();
        Path partial = folder.resolve(name + ".partial");
        if (!Files.exists(partial)) {
            Path temp = folder.resolve(name + ".partial.tmp");
            try (FileChannel fill = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer zeros = ByteBuffer.allocate(ZERO_BLOCK);
                for (long at = 0; at < segmentSize; at += ZERO_BLOCK) {
                    zeros.clear().limit((int) Math.min(ZERO_BLOCK, segmentSize - at));
                    while (zeros.hasRemaining()) {
                        fill.write(zeros);
                    }
                }
                fill.force(true);
            }
            Files.move(temp, partial, StandardCopyOption.ATOMIC_MOVE);
            syncFolder();
        }
        current = FileChannel.open(partial, StandardOpenOption.WRITE);
        currentSegment = segment;
    }

    private void complete() throws IOException {
        current.force(false);
        current.close();
        current = null;
        unflushed = false;
        String name = WalFileName.segment(timeline, currentSegment, segmentSize).name();
        Files.move(folder.resolve(name + ".partial"), folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        syncFolder();
        currentSegment = -1;
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            current.force(false);
            current.close();
            current = null;
            currentSegment = -1;
        }
    }

    private void syncFolder() throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
