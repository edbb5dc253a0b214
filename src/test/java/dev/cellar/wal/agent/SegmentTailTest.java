package dev.cellar.wal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.repo.WalStore;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment compressed piece by piece while "PostgreSQL" writes it: WAL pages are made here with
 * the page header fields the tail reads (xlp_pageaddr, and xlp_seg_size on the first page), over
 * a recycled file whose pages still carry another segment's addresses.
 */
class SegmentTailTest {
    private static final int SEGMENT = 4 << 20;
    private static final int PAGE = 8192;
    private static final long SEGMENT_NUMBER = 37;
    private static final ZstdCodec CODEC = new ZstdCodec(3);

    @TempDir
    Path pgWal;

    @Test
    void piecesWrittenPastAreCompressedAheadAndTheEncodingIsOfTheFinalFile() throws IOException {
        Path file = recycled(SEGMENT_NUMBER);
        assertThat(SegmentTail.startedAt(file, CODEC, WalTailFollower.LARGEST_SEGMENT)).as("a recycled file is not begun").isNull();

        writePages(file, SEGMENT_NUMBER, 0, 2 * SegmentTail.PIECE_BYTES / PAGE + 1);
        SegmentTail tail = SegmentTail.startedAt(file, CODEC, WalTailFollower.LARGEST_SEGMENT);
        assertThat(tail).isNotNull();
        assertThat(tail.compressWrittenPieces(false)).isTrue();
        assertThat(tail.compressWrittenPieces(false)).as("the third piece is still being written").isFalse();

        writePages(file, SEGMENT_NUMBER, 2 * SegmentTail.PIECE_BYTES / PAGE + 1, SEGMENT / PAGE);
        assertThat(tail.compressWrittenPieces(false)).as("the last piece waits for the next segment").isTrue();
        assertThat(tail.isFollowedBy(tail.nextFile())).isFalse();
        Path next = recycled(SEGMENT_NUMBER + 1);
        writePages(next, SEGMENT_NUMBER + 1, 0, 1);
        assertThat(tail.isFollowedBy(next)).isTrue();
        assertThat(tail.compressWrittenPieces(true)).isTrue();

        byte[] content = Files.readAllBytes(file);
        SegmentTail.Ahead ahead = tail.encode(content);
        assertThat(ahead.piecesAhead()).isEqualTo(4);
        assertThat(ahead.pieces()).isEqualTo(4);
        assertEncodes(ahead.encoded(), content);
        assertThat(tail.compressWrittenPieces(true)).as("spent").isFalse();
    }

    @Test
    void aPieceThatChangedAfterItWasCompressedIsCompressedAgainAndSoIsEveryPieceAfterIt() throws IOException {
        Path file = recycled(SEGMENT_NUMBER);
        writePages(file, SEGMENT_NUMBER, 0, 3 * SegmentTail.PIECE_BYTES / PAGE + 1);
        SegmentTail tail = SegmentTail.startedAt(file, CODEC, WalTailFollower.LARGEST_SEGMENT);
        assertThat(tail.compressWrittenPieces(false)).isTrue();
        writePages(file, SEGMENT_NUMBER, 3 * SegmentTail.PIECE_BYTES / PAGE + 1, SEGMENT / PAGE);
        byte[] content = Files.readAllBytes(file);
        content[SegmentTail.PIECE_BYTES + 5000] ^= 0x01;   // the second piece is not what was compressed
        Files.write(file, content);

        SegmentTail.Ahead ahead = tail.encode(content);

        assertThat(ahead.piecesAhead()).as("only the first piece is used").isEqualTo(1);
        assertEncodes(ahead.encoded(), content);
    }

    @Test
    void contentOfAnotherSizeOrAFileOfAnotherSegmentIsNotUsed() throws IOException {
        Path file = recycled(SEGMENT_NUMBER);
        writePages(file, SEGMENT_NUMBER, 0, SegmentTail.PIECE_BYTES / PAGE + 1);
        SegmentTail tail = SegmentTail.startedAt(file, CODEC, WalTailFollower.LARGEST_SEGMENT);
        tail.compressWrittenPieces(false);

        assertThat(tail.encode(new byte[SEGMENT / 2])).isNull();
        assertThat(SegmentTail.startedAt(file, CODEC, SEGMENT / 2)).as("larger than allowed").isNull();
        Path renamed = Files.move(file, pgWal.resolve(WalFileName.segment(1, SEGMENT_NUMBER + 5, SEGMENT).name()));
        assertThat(SegmentTail.startedAt(renamed, CODEC, WalTailFollower.LARGEST_SEGMENT)).as("pages of another address").isNull();
    }

    private static void assertEncodes(WalStore.EncodedWal encoded, byte[] content) {
        assertThat(ZstdCodec.decode(encoded.body(), content.length)).isEqualTo(content);
        assertThat(encoded.sha256()).isEqualTo(WalStore.sha256(content));
        assertThat(encoded.body().length).as("compressed").isLessThan(content.length / 4);
    }

    /** A segment file of this name holding the pages of segment 5: what PostgreSQL renames a recycled segment to. */
    private Path recycled(long segmentNumber) throws IOException {
        Path file = pgWal.resolve(WalFileName.segment(1, segmentNumber, SEGMENT).name());
        ByteBuffer pages = ByteBuffer.allocate(SEGMENT).order(ByteOrder.LITTLE_ENDIAN);
        for (int page = 0; page < SEGMENT / PAGE; page++) {
            header(pages, page, 5L * SEGMENT + (long) page * PAGE);
            byte[] text = ("old record " + page + " ").repeat(1000).getBytes(StandardCharsets.US_ASCII);
            pages.put(page * PAGE + 64, text, 0, PAGE - 64);
        }
        return Files.write(file, pages.array());
    }

    /** "PostgreSQL" writes pages {@code [from, to)} of the segment: its own addresses and new records. */
    private static void writePages(Path file, long segmentNumber, int from, int to) throws IOException {
        ByteBuffer pages = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        for (int page = from; page < to; page++) {
            header(pages, page, segmentNumber * SEGMENT + (long) page * PAGE);
            byte[] text = ("INSERT " + page + " order " + (page * 7 % 13) + " ").repeat(1000).getBytes(StandardCharsets.US_ASCII);
            pages.put(page * PAGE + 64, text, 0, PAGE - 64);
        }
        Files.write(file, pages.array());
    }

    private static void header(ByteBuffer pages, int page, long address) {
        int at = page * PAGE;
        pages.putShort(at, (short) 0xD110).putShort(at + 2, (short) (page == 0 ? 2 : 0)).putInt(at + 4, 1).putLong(at + 8, address);
        if (page == 0) {
            pages.putInt(at + 32, SEGMENT).putInt(at + 36, PAGE);
        }
    }
}
