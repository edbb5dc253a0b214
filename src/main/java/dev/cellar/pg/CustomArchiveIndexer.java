package dev.cellar.pg;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the data offsets into the table of contents of a pg_dump custom-format archive that was
 * produced on a pipe. pg_dump can only record where each table's data starts when it writes to a
 * seekable file; from a pipe every offset is "not set", and a parallel {@code pg_restore -j N}
 * then has each worker scan the archive from the start to find its table: quadratic in the
 * archive's size. With the offsets filled in, workers seek straight to their data, as they do
 * for an archive pg_dump wrote to a file itself.
 *
 * <p>It understands archive versions 1.12 to 1.16 (PostgreSQL 11 to 17 and later releases that
 * keep 1.16). Anything else is left untouched: the archive stays valid, only slower to restore
 * in parallel.
 */
public final class CustomArchiveIndexer {
    private static final byte BLOCK_DATA = 1;
    private static final byte BLOCK_LARGE_OBJECTS = 3;
    private static final byte OFFSET_NOT_SET = 1;
    private static final byte OFFSET_SET = 2;

    private CustomArchiveIndexer() {
    }

    /** Outcome: how many TOC entries got their offset, or why nothing was done. */
    public record Result(int entriesIndexed, String skippedBecause) {
        public boolean indexed() {
            return skippedBecause == null;
        }
    }

    public static Result index(Path archive) throws IOException {
        Map<Integer, Long> offsetFieldByDumpId = new HashMap<>();
        Map<Integer, Long> dataStartByDumpId = new HashMap<>();
        int offsetSize;
        int minor;
        try (ArchiveFields in = new ArchiveFields(Files.newInputStream(archive))) {
            try {
                ArchiveFields.Header header = in.header();
                offsetSize = header.offsetSize();
                minor = header.minor();
            } catch (ArchiveFields.UnknownFormatException e) {
                return new Result(0, "the archive " + e.getMessage());
            }

            int entries = in.readInt();
            for (int i = 0; i < entries; i++) {
                int dumpId = in.readInt();
                in.readInt();               // has data dumper
                in.skipString();            // catalog table oid
                in.skipString();            // catalog oid
                in.skipString();            // tag
                in.skipString();            // desc
                in.readInt();               // section
                in.skipString();            // definition
                in.skipString();            // drop statement
                in.skipString();            // copy statement
                in.skipString();            // namespace
                in.skipString();            // tablespace
                if (minor >= 14) {
                    in.skipString();        // table access method
                }
                if (minor >= 16) {
                    in.readInt();           // relkind
                }
                in.skipString();            // owner
                in.skipString();            // "false" (with oids)
                while (in.readStringLength() >= 0) {
                    // dependencies, terminated by a null string
                }
                long fieldPosition = in.position();
                byte state = (byte) in.unsignedByte();
                in.bytes(offsetSize);
                if (state == OFFSET_NOT_SET) {
                    offsetFieldByDumpId.put(dumpId, fieldPosition);
                }
            }
            while (true) {
                long blockStart = in.position();
                int type = in.read();
                if (type < 0) {
                    break;
                }
                int dumpId = in.readInt();
                if (type == BLOCK_DATA) {
                    skipData(in);
                } else if (type == BLOCK_LARGE_OBJECTS) {
                    while (in.readInt() != 0) {
                        skipData(in);
                    }
                } else {
                    return new Result(0, "unknown data block type " + type + " at offset " + blockStart);
                }
                dataStartByDumpId.put(dumpId, blockStart);
            }
        } catch (EOFException e) {
            return new Result(0, "archive ends early");
        }
        List<long[]> patches = new ArrayList<>();
        offsetFieldByDumpId.forEach((dumpId, field) -> {
            Long start = dataStartByDumpId.get(dumpId);
            if (start != null) {
                patches.add(new long[] {field, start});
            }
        });
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            for (long[] patch : patches) {
                ByteBuffer field = ByteBuffer.allocate(1 + offsetSize);
                field.put(OFFSET_SET);
                long value = patch[1];
                for (int i = 0; i < offsetSize; i++) {
                    field.put((byte) (value & 0xff));
                    value >>>= 8;
                }
                field.flip();
                channel.write(field, patch[0]);
            }
        }
        return new Result(patches.size(), null);
    }

    private static void skipData(ArchiveFields in) throws IOException {
        for (int length = in.readInt(); length != 0; length = in.readInt()) {
            in.skip(length);
        }
    }
}
