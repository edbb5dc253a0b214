package dev.cellar.restore;

import dev.cellar.pg.ArchiveStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Cuts the data blocks of an archive into batches of whole COPY rows, a few MiB each, in the
 * order they come. In COPY's text format every newline byte ends a row (one inside a value is
 * written as {@code \n}), so a batch can end after any newline. A batch is cut before the piece
 * that would overflow its buffer, so buffers keep their size and are reused; only a row longer
 * than a batch makes its batch (a new buffer) longer.
 */
final class RowBatcher {
    private RowBatcher() {
    }

    /**
     * Reads every remaining data block of {@code archive} and hands its rows to {@code load}.
     *
     * @param copyStatements the COPY statement of each entry whose data may follow, by dump id
     * @param batchBytes     about how many bytes a batch holds
     * @param buffers        empty buffers of {@code batchBytes} (reused ones: a restore would otherwise turn over its size in garbage)
     * @return the number of row bytes read
     * @throws IOException for a block of another kind or of an entry not in {@code copyStatements}
     */
    static long batches(ArchiveStream archive, Map<Integer, String> copyStatements, int batchBytes, Supplier<byte[]> buffers,
                        Consumer<CopyLoader.Batch> load) throws IOException {
        long total = 0;
        for (ArchiveStream.Block block = archive.nextBlock(); block != null; block = archive.nextBlock()) {
            String copy = copyStatements.get(block.dumpId());
            if (block.type() != ArchiveStream.BLOCK_DATA || copy == null) {
                throw new IOException("the archive holds a data block of type " + block.type() + " for entry " + block.dumpId()
                        + " that its table of contents does not announce as table data");
            }
            byte[] rows = buffers.get();
            int filled = 0;
            for (int length = archive.nextPieceLength(); length != 0; length = archive.nextPieceLength()) {
                if (filled + length > rows.length) {
                    // Hand over the whole rows before a piece that does not fit, rather than grow the
                    // buffer: a grown one cannot be reused, and a copy per batch was most of a
                    // restore's garbage (and what the collector promoted and grew the heap on).
                    int end = lastNewline(rows, filled) + 1;
                    if (end > 0) {
                        load.accept(new CopyLoader.Batch(copy, rows, end));
                        byte[] next = filled - end <= batchBytes ? buffers.get() : new byte[filled - end + (1 << 16)];
                        System.arraycopy(rows, end, next, 0, filled - end);
                        rows = next;
                        filled -= end;
                    }
                    if (filled + length > rows.length) {
                        // a row longer than a batch
                        rows = Arrays.copyOf(rows, Math.max(rows.length * 2, filled + length));
                    }
                }
                archive.readPiece(rows, filled, length);
                filled += length;
                total += length;
            }
            if (filled > 0) {
                load.accept(new CopyLoader.Batch(copy, rows, filled));
            }
        }
        return total;
    }

    private static int lastNewline(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
