package dev.cellar.pipeline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FastCdcChunkerTest {
    private static final ChunkerParameters PARAMETERS = ChunkerParameters.ofAverage(64 * 1024);
    private static final long SEED = 0x5eed_cafeL;

    @Test
    void chunksStayWithinMinAndMaxExceptTheLast() throws IOException {
        byte[] input = random(4 * 1024 * 1024 + 12345, 1);
        List<byte[]> chunks = split(new FastCdcChunker(PARAMETERS, SEED), input);

        ChunkerParameters first = new FastCdcChunker(PARAMETERS, SEED).firstChunkParameters();
        assertThat(chunks).hasSizeGreaterThan(10);
        assertThat(chunks.get(0).length).isBetween(first.minSize(), first.maxSize());
        for (byte[] chunk : chunks.subList(1, chunks.size() - 1)) {
            assertThat(chunk.length).isBetween(PARAMETERS.minSize(), PARAMETERS.maxSize());
        }
        assertThat(chunks.get(chunks.size() - 1).length).isBetween(1, PARAMETERS.maxSize());
    }

    @Test
    void firstChunkIsSmallSoAChangingStreamHeaderCostsLittle() throws IOException {
        FastCdcChunker chunker = new FastCdcChunker(PARAMETERS, SEED);
        byte[] input = random(4 * 1024 * 1024, 8);
        byte[] changedHeader = input.clone();
        changedHeader[10] ^= 1;

        List<byte[]> before = split(chunker, input);
        List<byte[]> after = split(chunker, changedHeader);

        assertThat(before.get(0).length).isLessThanOrEqualTo(chunker.firstChunkParameters().maxSize());
        assertThat(lengths(after)).isEqualTo(lengths(before));
        assertThat(after.subList(1, after.size())).usingElementComparator(java.util.Arrays::compare)
                .containsExactlyElementsOf(before.subList(1, before.size()));
    }

    @Test
    void averageChunkSizeIsNearTheConfiguredAverage() throws IOException {
        byte[] input = random(8 * 1024 * 1024, 2);
        List<byte[]> chunks = split(new FastCdcChunker(PARAMETERS, SEED), input);

        double average = (double) input.length / chunks.size();
        assertThat(average).isBetween(PARAMETERS.avgSize() / 2.0, PARAMETERS.avgSize() * 2.0);
    }

    @Test
    void constantBytesAreCutAtTheMaximumSize() throws IOException {
        FastCdcChunker chunker = new FastCdcChunker(PARAMETERS, SEED);
        int firstMax = chunker.firstChunkParameters().maxSize();
        byte[] input = new byte[firstMax + PARAMETERS.maxSize() * 2 + 7];
        List<byte[]> chunks = split(chunker, input);

        assertThat(chunks).extracting(c -> c.length)
                .containsExactly(firstMax, PARAMETERS.maxSize(), PARAMETERS.maxSize(), 7);
    }

    @Test
    void concatenatedChunksEqualTheInputAndSplitReportsItsLength() throws IOException {
        byte[] input = random(3 * 1024 * 1024 + 1, 3);
        FastCdcChunker chunker = new FastCdcChunker(PARAMETERS, SEED);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();

        long total = chunker.split(new ByteArrayInputStream(input), (buffer, offset, length) -> joined.write(buffer, offset, length));

        assertThat(total).isEqualTo(input.length);
        assertThat(joined.toByteArray()).isEqualTo(input);
    }

    @Test
    void inputDeliveredInSmallReadsIsCutAtTheSamePlaces() throws IOException {
        byte[] input = random(2 * 1024 * 1024, 4);
        FastCdcChunker chunker = new FastCdcChunker(PARAMETERS, SEED);

        List<Integer> whole = lengths(split(chunker, new ByteArrayInputStream(input)));
        List<Integer> trickled = lengths(split(chunker, new TricklingInputStream(input, 1000)));

        assertThat(trickled).isEqualTo(whole);
    }

    @Test
    void emptyInputGivesNoChunks() throws IOException {
        assertThat(split(new FastCdcChunker(PARAMETERS, SEED), new byte[0])).isEmpty();
    }

    @Test
    void inputShorterThanTheMinimumIsOneChunk() throws IOException {
        byte[] input = random(new FastCdcChunker(PARAMETERS, SEED).firstChunkParameters().minSize() - 1, 5);
        assertThat(split(new FastCdcChunker(PARAMETERS, SEED), input)).extracting(c -> c.length).containsExactly(input.length);
    }

    @Test
    void sameInputAndSeedGiveSameBoundaries() throws IOException {
        byte[] input = random(4 * 1024 * 1024, 6);

        List<Integer> first = lengths(split(new FastCdcChunker(PARAMETERS, SEED), input));
        List<Integer> second = lengths(split(new FastCdcChunker(PARAMETERS, SEED), input));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void differentSeedGivesDifferentBoundaries() throws IOException {
        byte[] input = random(4 * 1024 * 1024, 7);

        List<Integer> first = lengths(split(new FastCdcChunker(PARAMETERS, SEED), input));
        List<Integer> other = lengths(split(new FastCdcChunker(PARAMETERS, SEED + 1), input));

        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void insertionNearTheStartLeavesMostLaterChunksUnchanged() throws IOException {
        byte[] original = random(4 * 1024 * 1024, 8);
        byte[] edited = new byte[original.length + 5];
        int at = 1000;
        System.arraycopy(original, 0, edited, 0, at);
        System.arraycopy(new byte[] {1, 2, 3, 4, 5}, 0, edited, at, 5);
        System.arraycopy(original, at, edited, at + 5, original.length - at);
        FastCdcChunker chunker = new FastCdcChunker(PARAMETERS, SEED);

        List<String> before = ids(split(chunker, original));
        Set<String> after = new HashSet<>(ids(split(chunker, edited)));

        long shared = before.stream().filter(after::contains).count();
        assertThat(before).hasSizeGreaterThan(20);
        assertThat((double) shared / before.size()).isGreaterThanOrEqualTo(0.8);
    }

    private static List<byte[]> split(FastCdcChunker chunker, byte[] input) throws IOException {
        return split(chunker, new ByteArrayInputStream(input));
    }

    private static List<byte[]> split(FastCdcChunker chunker, InputStream in) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        chunker.split(in, (buffer, offset, length) -> chunks.add(java.util.Arrays.copyOfRange(buffer, offset, offset + length)));
        return chunks;
    }

    private static List<Integer> lengths(List<byte[]> chunks) {
        return chunks.stream().map(c -> c.length).toList();
    }

    private static List<String> ids(List<byte[]> chunks) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return chunks.stream().map(c -> HexFormat.of().formatHex(sha.digest(c))).toList();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Hands out at most {@code step} bytes per read, as a pipe from pg_dump does. */
    private static final class TricklingInputStream extends InputStream {
        private final byte[] data;
        private final int step;
        private int position;

        TricklingInputStream(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, step), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
