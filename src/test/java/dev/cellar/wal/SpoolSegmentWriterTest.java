package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolSegmentWriterTest {
    /** Small segments keep the test fast; the writer does not care about the size. */
    private static final long SEG = 64 * 1024;

    @TempDir
    Path spool;

    @Test
    void aSegmentIsPartialAndFullSizeUntilItsLastByteThenTakesItsFinalName() throws Exception {
        try (SpoolSegmentWriter writer = new SpoolSegmentWriter(spool, 1, SEG)) {
            writer.write(3 * SEG, ByteBuffer.wrap(bytes(1000, 7)));
            assertThat(writer.flush()).isEqualTo(3 * SEG + 1000);
            Path partial = spool.resolve(WalFileName.segment(1, 3, SEG).name() + ".partial");
            assertThat(Files.size(partial)).isEqualTo(SEG);
            assertThat(Arrays.copyOf(Files.readAllBytes(partial), 1000)).isEqualTo(bytes(1000, 7));

            // the rest of segment 3 and the start of segment 4 in one message
            writer.write(3 * SEG + 1000, ByteBuffer.wrap(bytes((int) SEG - 1000 + 500, 9)));
            assertThat(partial).doesNotExist();
            byte[] complete = Files.readAllBytes(spool.resolve(WalFileName.segment(1, 3, SEG).name()));
            assertThat(complete).hasSize((int) SEG);
            assertThat(complete[999]).isEqualTo((byte) 7);
            assertThat(complete[1000]).isEqualTo((byte) 9);
            assertThat(writer.flush()).isEqualTo(4 * SEG + 500);
        }
        Path next = spool.resolve(WalFileName.segment(1, 4, SEG).name() + ".partial");
        assertThat(Files.size(next)).isEqualTo(SEG);
        assertThat(StreamSpool.at(spool).list()).extracting(f -> f.name().name())
                .containsExactly(WalFileName.segment(1, 3, SEG).name(), WalFileName.segment(1, 4, SEG).name() + ".partial");
    }

    @Test
    void aResumedPartialIsOverwrittenInPlace() throws Exception {
        try (SpoolSegmentWriter writer = new SpoolSegmentWriter(spool, 2, SEG)) {
            writer.write(5 * SEG, ByteBuffer.wrap(bytes(300, 1)));
        }
        try (SpoolSegmentWriter writer = new SpoolSegmentWriter(spool, 2, SEG)) {
            writer.write(5 * SEG, ByteBuffer.wrap(bytes(200, 2)));
        }
        byte[] content = Files.readAllBytes(spool.resolve(WalFileName.segment(2, 5, SEG).name() + ".partial"));
        assertThat(content[199]).isEqualTo((byte) 2);
        assertThat(content[200]).isEqualTo((byte) 1);
        assertThat(content).hasSize((int) SEG);
    }

    private static byte[] bytes(int length, int seed) {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) seed);
        return data;
    }
}
