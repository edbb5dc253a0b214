package dev.cellar.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.pg.ArchiveStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a streamed restore reads from an archive as pg_dump writes it to a pipe: which archives
 * stream, the head pg_restore gets, and the rows cut into batches that end on row boundaries.
 */
class StreamedRestorePlanTest {
    private static final int BATCH = CopyLoader.batchBytes(2);


    @Test
    void tableDataAndSequencesStreamWithTheDumpsEncoding() throws IOException {
        for (int minor : new int[] {14, 16}) {
            Archive archive = new Archive(minor, false)
                    .entry(1, false, "ENCODING", 1, "SET client_encoding = 'LATIN1';\n", "")
                    .entry(2, false, "TABLE", 2, "CREATE TABLE public.t (a int);\n", "")
                    .entry(3, true, "TABLE DATA", 3, "", "COPY public.t (a) FROM stdin;\n")
                    .entry(4, false, "SEQUENCE SET", 3, "SELECT pg_catalog.setval('public.s', 5, true);\n", "")
                    .entry(5, false, "INDEX", 4, "CREATE INDEX i ON public.t (a);\n", "");
            ArchiveStream stream = new ArchiveStream(new ByteArrayInputStream(archive.withData(3, "1\n2\n", "3\n").bytes()));
            ArchiveStream.Head head = stream.head();
            StreamedRestorePlan plan = StreamedRestorePlan.of(head);

            assertThat(plan.streamed()).as("archive 1.%d", minor).isTrue();
            assertThat(plan.clientEncoding()).isEqualTo("LATIN1");
            assertThat(plan.copyStatements()).isEqualTo(Map.of(3, "COPY public.t (a) FROM stdin;"));
            assertThat(plan.dataListFile()).containsExactly("4; SEQUENCE SET public s");
            assertThat(head.bytes()).isEqualTo(archive.headBytes());

            List<String> batches = new ArrayList<>();
            RowBatcher.batches(stream, plan.copyStatements(), BATCH, () -> new byte[BATCH],
                    b -> batches.add(b.copyStatement() + "|" + new String(b.rows(), 0, b.length(), StandardCharsets.UTF_8)));
            assertThat(batches).containsExactly("COPY public.t (a) FROM stdin;|1\n2\n3\n");
        }
    }

    @Test
    void largeObjectsCompressedDataOrAMissingEncodingTakeTheMaterialisedPath() throws IOException {
        Archive blobs = new Archive(14, false).entry(1, false, "ENCODING", 1, "SET client_encoding = 'UTF8';\n", "")
                .entry(2, true, "BLOBS", 3, "", "");
        assertThat(planOf(blobs).fallbackReason()).contains("BLOBS");

        Archive compressed = new Archive(16, true).entry(1, false, "ENCODING", 1, "SET client_encoding = 'UTF8';\n", "");
        assertThat(planOf(compressed).fallbackReason()).contains("compressed");

        Archive noEncoding = new Archive(14, false).entry(3, true, "TABLE DATA", 3, "", "COPY public.t (a) FROM stdin;\n");
        assertThat(planOf(noEncoding).fallbackReason()).contains("ENCODING");
    }

    @Test
    void bigTableIsCutIntoBatchesOfWholeRows() throws IOException {
        Archive archive = new Archive(14, false).entry(1, false, "ENCODING", 1, "SET client_encoding = 'UTF8';\n", "")
                .entry(3, true, "TABLE DATA", 3, "", "COPY public.t (a) FROM stdin;\n");
        String row = "x".repeat(999) + "\n";
        int rows = 3 * BATCH / row.length();
        String[] pieces = new String[rows];
        Arrays.fill(pieces, row);
        ArchiveStream stream = new ArchiveStream(new ByteArrayInputStream(archive.withData(3, pieces).bytes()));
        StreamedRestorePlan plan = StreamedRestorePlan.of(stream.head());

        List<CopyLoader.Batch> batches = new ArrayList<>();
        long total = RowBatcher.batches(stream, plan.copyStatements(), BATCH, () -> new byte[BATCH], batches::add);

        assertThat(total).isEqualTo((long) rows * row.length());
        assertThat(batches).hasSizeGreaterThan(2);
        assertThat(batches.stream().mapToLong(CopyLoader.Batch::length).sum()).isEqualTo(total);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.length() % row.length()).isZero();
            assertThat(b.rows()[b.length() - 1]).isEqualTo((byte) '\n');
            // cut before the row that would not fit: every batch stays in a buffer of the batch size, to be reused
            assertThat(b.rows().length).isEqualTo(BATCH);
        });
    }

    @Test
    void dataBlockOfAnEntryTheTableOfContentsDoesNotAnnounceIsRefused() throws IOException {
        Archive archive = new Archive(14, false).entry(1, false, "ENCODING", 1, "SET client_encoding = 'UTF8';\n", "")
                .entry(3, true, "TABLE DATA", 3, "", "COPY public.t (a) FROM stdin;\n");
        ArchiveStream stream = new ArchiveStream(new ByteArrayInputStream(archive.withData(7, "1\n").bytes()));
        StreamedRestorePlan plan = StreamedRestorePlan.of(stream.head());

        assertThatThrownBy(() -> RowBatcher.batches(stream, plan.copyStatements(), BATCH, () -> new byte[BATCH], b -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("entry 7");
    }

    private static StreamedRestorePlan planOf(Archive archive) throws IOException {
        return StreamedRestorePlan.of(new ArchiveStream(new ByteArrayInputStream(archive.bytes())).head());
    }

    /** A custom-format archive as pg_dump writes it to a pipe (4-byte ints, 8-byte offsets, offsets not set). */
    private static final class Archive {
        private final int minor;
        private final ByteArrayOutputStream toc = new ByteArrayOutputStream();
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private final boolean compressed;
        private int entries;

        Archive(int minor, boolean compressed) {
            this.minor = minor;
            this.compressed = compressed;
        }

        Archive entry(int dumpId, boolean hasData, String desc, int section, String definition, String copy) {
            writeInt(toc, dumpId);
            writeInt(toc, hasData ? 1 : 0);
            writeString(toc, "0");
            writeString(toc, "0");
            writeString(toc, desc.equals("SEQUENCE SET") ? "s" : "t");
            writeString(toc, desc);
            writeInt(toc, section);
            writeString(toc, definition);
            writeString(toc, "");
            writeString(toc, copy);
            writeString(toc, "public");
            writeString(toc, "");
            if (minor >= 14) {
                writeString(toc, "heap");
            }
            if (minor >= 16) {
                writeInt(toc, 'r');
            }
            writeString(toc, "postgres");
            writeString(toc, "false");
            writeString(toc, "1");
            writeString(toc, null);
            toc.write(1);                       // offset not set
            toc.writeBytes(new byte[8]);
            entries++;
            return this;
        }

        Archive withData(int dumpId, String... pieces) {
            data.write(1);
            writeInt(data, dumpId);
            for (String piece : pieces) {
                byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
                writeInt(data, bytes.length);
                data.writeBytes(bytes);
            }
            writeInt(data, 0);
            return this;
        }

        byte[] headBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("PGDMP".getBytes(StandardCharsets.US_ASCII));
            out.write(1);
            out.write(minor);
            out.write(0);
            out.write(4);                       // int size
            out.write(8);                       // offset size
            out.write(1);                       // custom format
            if (minor >= 15) {
                out.write(compressed ? 1 : 0);
            } else {
                writeInt(out, compressed ? -1 : 0);
            }
            for (int i = 0; i < 7; i++) {
                writeInt(out, 1);
            }
            writeString(out, "db");
            writeString(out, "15.0");
            writeString(out, "15.0");
            writeInt(out, entries);
            out.writeBytes(toc.toByteArray());
            return out.toByteArray();
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(headBytes());
            out.writeBytes(data.toByteArray());
            return out.toByteArray();
        }

        private static void writeInt(ByteArrayOutputStream out, int value) {
            out.write(value < 0 ? 1 : 0);
            int v = Math.abs(value);
            for (int i = 0; i < 4; i++) {
                out.write(v & 0xff);
                v >>>= 8;
            }
        }

        private static void writeString(ByteArrayOutputStream out, String s) {
            if (s == null) {
                writeInt(out, -1);
                return;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            writeInt(out, bytes.length);
            out.writeBytes(bytes);
        }
    }
}
