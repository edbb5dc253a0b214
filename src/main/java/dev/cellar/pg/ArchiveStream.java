package dev.cellar.pg;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a pg_dump custom-format archive once, front to back, as it arrives from a pipe: first the
 * header and table of contents (kept byte for byte, so that pg_restore can run the schema parts
 * from them alone), then the data blocks one after the other. That lets a restore load table data
 * while the archive is still being read, instead of writing it to disk for pg_restore first.
 *
 * <p>Reads archive versions 1.12 to 1.16, like {@link ArchiveToc}.
 */
public final class ArchiveStream implements AutoCloseable {
    /** pg_dump's block type for a table's data; 3 is large objects. */
    public static final int BLOCK_DATA = 1;
    /** The SECTION_* numbers of pg_backup.h. */
    public static final int SECTION_PRE_DATA = 2;
    public static final int SECTION_DATA = 3;
    public static final int SECTION_POST_DATA = 4;

    private final RecordingInput recording;
    private final ArchiveFields in;
    private Head head;

    /**
     * One table-of-contents entry, with what a streamed restore decides by.
     *
     * @param hasData       pg_dump wrote a data block for it (its "has data dumper" flag)
     * @param section       one of the SECTION_* numbers; 1 for entries outside sections (ENCODING, …)
     * @param copyStatement the {@code COPY … FROM stdin;} its data loads with, or "" when it has none
     */
    public record Entry(int dumpId, boolean hasData, String desc, int section, String namespace, String tag, String definition,
                        String copyStatement) {
    }

    /**
     * The archive up to its first data block.
     *
     * @param bytes      header and table of contents as they are in the archive: a complete archive without data
     * @param compressed pg_dump compressed the data blocks itself
     */
    public record Head(byte[] bytes, int minor, boolean compressed, List<Entry> entries) {
    }

    /** The start of one data block: its type and the entry it belongs to. */
    public record Block(int type, int dumpId) {
    }

    public ArchiveStream(InputStream raw) {
        this.recording = new RecordingInput(raw);
        this.in = new ArchiveFields(recording);
    }

    /**
     * Reads the header and the table of contents, on the first call; call it before {@link #nextBlock()}.
     *
     * @throws ArchiveToc.UnsupportedArchiveException for anything but a custom-format archive of 1.12 to 1.16
     */
    public Head head() throws IOException {
        if (head != null) {
            return head;
        }
        ArchiveFields.Header header;
        try {
            header = in.header();
        } catch (ArchiveFields.UnknownFormatException e) {
            throw new ArchiveToc.UnsupportedArchiveException("the archive " + e.getMessage());
        }
        try {
            int count = in.readInt();
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int dumpId = in.readInt();
                boolean hasData = in.readInt() != 0;
                in.skipString();            // catalog table oid
                in.skipString();            // catalog oid
                String tag = in.string();
                String desc = in.string();
                int section = in.readInt();
                String definition = in.string();
                in.skipString();            // drop statement
                String copyStatement = in.string();
                String namespace = in.string();
                in.skipString();            // tablespace
                if (header.minor() >= 14) {
                    in.skipString();        // table access method
                }
                if (header.minor() >= 16) {
                    in.readInt();           // relkind
                }
                in.skipString();            // owner
                in.skipString();            // "false" (with oids)
                while (in.readStringLength() >= 0) {
                    // dependencies, terminated by a null string
                }
                in.bytes(1 + header.offsetSize());   // data offset
                entries.add(new Entry(dumpId, hasData, orEmpty(desc), section, orEmpty(namespace), orEmpty(tag), orEmpty(definition),
                        orEmpty(copyStatement)));
            }
            byte[] bytes = recording.stop(in.position());
            head = new Head(bytes, header.minor(), header.compressed(), List.copyOf(entries));
            return head;
        } catch (EOFException e) {
            throw new ArchiveToc.UnsupportedArchiveException("the archive ends inside its table of contents");
        }
    }

    /** The next data block's start, or null at the end of the archive. */
    public Block nextBlock() throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        return new Block(type, in.readInt());
    }

    /**
     * The length of the next piece of the current data block; 0 ends the block. pg_dump writes a
     * block as pieces, each a length and that many bytes.
     */
    public int nextPieceLength() throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("a data block of the archive has a piece of negative length " + length);
        }
        return length;
    }

    /** Reads the piece whose length {@link #nextPieceLength()} returned. */
    public void readPiece(byte[] into, int offset, int length) throws IOException {
        in.readFully(into, offset, length);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * Keeps what passes through until told to stop. It sits below {@link ArchiveFields}' read-ahead
     * buffer, so it sees more than was parsed; {@link #stop(long)} cuts the copy at what was.
     */
    private static final class RecordingInput extends FilterInputStream {
        private ByteArrayOutputStream copy = new ByteArrayOutputStream();

        RecordingInput(InputStream in) {
            super(in);
        }

        byte[] stop(long parsed) {
            byte[] all = copy.toByteArray();
            copy = null;
            return Arrays.copyOf(all, (int) parsed);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && copy != null) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && copy != null) {
                copy.write(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (copy == null) {
                return super.skip(n);
            }
            // skipped bytes must be kept too: read them instead
            byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }
    }
}
