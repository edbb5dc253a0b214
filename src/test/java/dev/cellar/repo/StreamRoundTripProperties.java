package dev.cellar.repo;

import dev.cellar.it.TestFolders;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.storage.LocalStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any byte stream comes back byte for byte through chunking, compression, encryption and
 * storage, and storing it again adds nothing. One repository serves every try, because opening
 * a repository costs a full Argon2id derivation.
 */
class StreamRoundTripProperties {
    private static final ChunkerParameters CHUNKS = ChunkerParameters.ofAverage(64 * 1024);
    private static final int MAX_STREAM = 3 * 1024 * 1024;

    private static Path folder;
    private static Repository repository;
    private static StreamWriter writer;
    private static StreamReader reader;

    @BeforeContainer
    static void createRepository() throws IOException {
        folder = TestFolders.create("cellar-roundtrip");
        repository = Repository.init(new LocalStorage(folder), RepositorySecret.passphrase("round trip".toCharArray()),
                CHUNKS, Clock.systemUTC());
        writer = new StreamWriter(repository, 3, 2);
        reader = new StreamReader(repository, 2);
    }

    @AfterContainer
    static void removeRepository() throws IOException {
        writer.close();
        reader.close();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Property(tries = 200)
    void anyStreamRoundTripsAndIsStoredOnlyOnce(@ForAll("streams") Shape shape) throws IOException {
        Statistics.label("kind").collect(shape.kind());
        Statistics.label("size").collect(shape.size() == 0 ? "empty" : shape.size() < CHUNKS.minSize() ? "< min"
                : shape.size() <= CHUNKS.maxSize() ? "min..max" : shape.size() <= 1024 * 1024 ? "max..1 MiB" : "1..3 MiB");
        assertRoundTripAndDedup(shape.bytes());
    }

    @Example
    void emptyStreamRoundTrips() throws IOException {
        StreamWriter.Written written = assertRoundTripAndDedup(new byte[0]);
        assertThat(written.stream().chunks()).isEmpty();
    }

    @Example
    void oneByteStreamRoundTrips() throws IOException {
        assertThat(assertRoundTripAndDedup(new byte[] {42}).stream().chunks()).hasSize(1);
    }

    @Example
    void streamsOfExactlyTheChunkBoundsRoundTrip() throws IOException {
        for (int size : List.of(CHUNKS.minSize() - 1, CHUNKS.minSize(), CHUNKS.minSize() + 1, CHUNKS.avgSize(),
                CHUNKS.maxSize() - 1, CHUNKS.maxSize(), CHUNKS.maxSize() + 1, 2 * CHUNKS.maxSize(), 2 * CHUNKS.maxSize() + 1)) {
            assertRoundTripAndDedup(new Shape(Kind.RANDOM, size, size).bytes());
        }
    }

    @Example
    void largeConstantStreamIsStoredAsOneRepeatedChunkAfterTheSmallFirstOne() throws IOException {
        byte[] zeros = new byte[MAX_STREAM];
        StreamWriter.Written written = assertRoundTripAndDedup(zeros);
        List<ChunkRef> chunks = written.stream().chunks();
        assertThat(chunks.subList(1, chunks.size() - 1)).extracting(ChunkRef::id).containsOnly(chunks.get(1).id());
    }

    @Example
    void largeRandomStreamRoundTrips() throws IOException {
        assertRoundTripAndDedup(new Shape(Kind.RANDOM, MAX_STREAM, 7).bytes());
    }

    @Example
    void largeMixedStreamRoundTrips() throws IOException {
        assertRoundTripAndDedup(new Shape(Kind.MIXED, MAX_STREAM, 11).bytes());
    }

    private static StreamWriter.Written assertRoundTripAndDedup(byte[] data) throws IOException {
        StreamWriter.Written first = writer.write("dump", "custom", new ByteArrayInputStream(data), ProgressListener.NONE);
        BackupManifest.StreamEntry stream = first.stream();

        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        long read = reader.read(stream, out, ProgressListener.NONE);

        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(read).isEqualTo(data.length);
        assertThat(stream.size()).isEqualTo(data.length);
        assertThat(stream.chunks().stream().mapToLong(ChunkRef::size).sum()).isEqualTo(data.length);
        assertThat(first.newPlainBytes()).isBetween(0L, (long) data.length);
        assertThat(first.newChunks()).isBetween(0L, (long) stream.chunks().size());
        List<ChunkRef> chunks = stream.chunks();
        for (int i = 0; i < chunks.size(); i++) {
            ChunkerParameters bounds = i == 0 ? repository.chunker().firstChunkParameters() : CHUNKS;
            assertThat(chunks.get(i).size()).isBetween(i == chunks.size() - 1 ? 1 : bounds.minSize(), bounds.maxSize());
        }

        StreamWriter.Written second = writer.write("dump", "custom", new ByteArrayInputStream(data), ProgressListener.NONE);
        assertThat(second.storedBytes()).isZero();
        assertThat(second.newChunks()).isZero();
        assertThat(second.newPlainBytes()).isZero();
        assertThat(second.stream()).isEqualTo(stream);
        return first;
    }

    @Provide
    Arbitrary<Shape> streams() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, MAX_STREAM).withDistribution(RandomDistribution.uniform()).withoutEdgeCases()),
                Tuple.of(5, Arbitraries.integers().between(0, 4 * CHUNKS.maxSize()).withoutEdgeCases()),
                Tuple.of(2, Arbitraries.of(0, 1, 2, CHUNKS.minSize() - 1, CHUNKS.minSize(), CHUNKS.minSize() + 1,
                        CHUNKS.avgSize() - 1, CHUNKS.avgSize(), CHUNKS.avgSize() + 1,
                        CHUNKS.maxSize() - 1, CHUNKS.maxSize(), CHUNKS.maxSize() + 1,
                        2 * CHUNKS.maxSize() - 1, 2 * CHUNKS.maxSize(), 2 * CHUNKS.maxSize() + 1, MAX_STREAM)));
        // seeds without edge cases, or the combinations of edge cases alone would use up every try
        return Combinators.combine(Arbitraries.of(Kind.class), sizes, Arbitraries.longs().withoutEdgeCases()).as(Shape::new);
    }

    /** What kind of bytes a stream holds. */
    enum Kind {
        /** incompressible, every chunk new */
        RANDOM,
        /** one byte value throughout: every chunk cut at the maximum and identical */
        CONSTANT,
        /** a short pattern repeated, like a table of equal rows */
        PERIODIC,
        /** text lines as in a COPY block of a dump */
        TEXT,
        /** runs of all of the above, as in a real dump */
        MIXED
    }

    /** A stream described by a few numbers, so jqwik shrinks a failure to a small, readable case. */
    record Shape(Kind kind, int size, long seed) {
        byte[] bytes() {
            byte[] out = new byte[size];
            fill(kind, out, 0, size, new SplittableRandom(seed));
            return out;
        }

        private static void fill(Kind kind, byte[] out, int from, int to, SplittableRandom random) {
            switch (kind) {
                case RANDOM -> {
                    for (int i = from; i < to; i++) {
                        out[i] = (byte) random.nextInt(256);
                    }
                }
                case CONSTANT -> java.util.Arrays.fill(out, from, to, (byte) random.nextInt(256));
                case PERIODIC -> {
                    byte[] pattern = new byte[1 + random.nextInt(1000)];
                    random.nextBytes(pattern);
                    for (int i = from; i < to; i++) {
                        out[i] = pattern[(i - from) % pattern.length];
                    }
                }
                case TEXT -> {
                    int i = from;
                    long id = random.nextInt(1_000_000);
                    while (i < to) {
                        byte[] line = (id++ + "\tmenu item " + random.nextInt(500) + "\t" + random.nextInt(10_000) / 100.0 + "\t2024-03-01\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        int n = Math.min(line.length, to - i);
                        System.arraycopy(line, 0, out, i, n);
                        i += n;
                    }
                }
                case MIXED -> {
                    int i = from;
                    Kind[] parts = {Kind.RANDOM, Kind.CONSTANT, Kind.PERIODIC, Kind.TEXT};
                    while (i < to) {
                        int run = Math.min(to - i, 1 + random.nextInt(300 * 1024));
                        fill(parts[random.nextInt(parts.length)], out, i, i + run, random);
                        i += run;
                    }
                }
            }
        }
    }
}
