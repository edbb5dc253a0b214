package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.Crc32cText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One restored file, written chunk by chunk at each chunk's offset by whichever thread has the
 * chunk, in any order, so a restore overlaps reading and writing across files instead of within
 * one. The file is opened by its first chunk and closed by its last, so only the files with chunks
 * in flight hold a descriptor; when the last chunk is in, the file's CRC-32C (combined from the
 * chunks') and size are checked against what the backup recorded.
 */
final class ChunkedFileWriter {
    private final Path target;
    private final String name;
    private final long expectedSize;
    private final String expectedCrc;
    private final long[] offsets;
    private final int[] chunkCrcs;
    private final int[] chunkSizes;
    private final Object writeLock = new Object();
    private int remaining;
    private FileChannel channel;
    private boolean closed;
    /** Set once every chunk is in and the file matched its size and CRC-32C. */
    private volatile boolean checked;

    /**
     * @param name       the file's path in the backup, for messages
     * @param chunkSizes the sizes the backup recorded for its chunks, in order
     */
    ChunkedFileWriter(Path target, String name, long expectedSize, String expectedCrc, int[] chunkSizes) {
        this.target = target;
        this.name = name;
        this.expectedSize = expectedSize;
        this.expectedCrc = expectedCrc;
        this.chunkSizes = chunkSizes.clone();
        this.offsets = new long[chunkSizes.length];
        this.chunkCrcs = new int[chunkSizes.length];
        this.remaining = chunkSizes.length;
        long offset = 0;
        for (int i = 0; i < chunkSizes.length; i++) {
            offsets[i] = offset;
            offset += chunkSizes[i];
        }
    }

    /** The file's path in the backup. */
    String name() {
        return name;
    }

    /** Whether the file is complete: every chunk written, size and CRC-32C as the backup recorded. */
    boolean checked() {
        return checked;
    }

    /**
     * Writes chunk {@code index}, the bytes between {@code data}'s position and limit (a direct
     * buffer is written as it is; the JDK copies a heap buffer into native memory first). Returns
     * true when it was the file's last chunk in: the file is then closed and checked.
     */
    boolean write(int index, ByteBuffer data) throws IOException {
        if (data.remaining() != chunkSizes[index]) {
            // a ChunkStore read already refuses this; an offset computed from a wrong size would misplace every later chunk
            throw mismatch(data.remaining() + " bytes in chunk " + index + ", " + chunkSizes[index] + " recorded");
        }
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        FileChannel out = open();
        ByteBuffer buffer = data.duplicate();
        long position = offsets[index];
        // one writer at a time per file: ext4 takes the inode's lock for every buffered write, and
        // threads waiting for it in the kernel spin on the CPU the other threads need to decompress
        synchronized (writeLock) {
            while (buffer.hasRemaining()) {
                position += out.write(buffer, position);
            }
        }
        synchronized (this) {
            chunkCrcs[index] = (int) crc.getValue();
            if (--remaining > 0) {
                return false;
            }
        }
        finish();
        return true;
    }

    /** Creates the file when it has no chunks (its CRC is still checked: an empty file's is 00000000). */
    void writeEmpty() throws IOException {
        open();
        finish();
    }

    /** Closes the file after a failure elsewhere; what was written stays for the caller to clean up. */
    synchronized void abandon() {
        closeQuietly();
    }

    private synchronized FileChannel open() throws IOException {
        if (closed) {
            throw new IllegalStateException(name + " is already closed");
        }
        if (channel == null) {
            channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        return channel;
    }

    private void finish() throws IOException {
        synchronized (this) {
            channel.close();
            closed = true;
        }
        long size = 0;
        int crc = 0;
        for (int i = 0; i < chunkCrcs.length; i++) {
            crc = Crc32cCombine.combine(crc, chunkCrcs[i], chunkSizes[i]);
            size += chunkSizes[i];
        }
        String actual = Crc32cText.of(crc);
        if (size != expectedSize || !actual.equals(expectedCrc)) {
            throw mismatch(size + " bytes, CRC-32C " + actual + "; the manifest says " + expectedSize + " bytes, " + expectedCrc);
        }
        checked = true;
    }

    private CellarException mismatch(String what) {
        return new CellarException(ErrorCode.INTEGRITY, "restored " + name + " does not match the backup (" + what + ")",
                "run 'cellar verify' on the backup; restore from another backup if it is damaged");
    }

    private void closeQuietly() {
        if (channel != null && !closed) {
            try {
                channel.close();
            } catch (IOException e) {
                // the restore already failed with the error that matters
            }
            closed = true;
        }
    }
}
