package dev.cellar.repo;

import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.ZstdCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkStoreTest {
    private static final ZstdCodec CODEC = new ZstdCodec(3);

    @TempDir
    Path folder;

    private ChunkStore chunks;

    @BeforeEach
    void createRepository() {
        chunks = TestRepositories.init(folder).chunks();
    }

    @Test
    void storedChunkReadsBackAndIsStoredOnce() {
        byte[] data = "INSERT INTO menu_items VALUES (1, 'espresso');\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        String id = chunks.idOf(data, 0, data.length);

        ChunkStore.Stored first = chunks.put(id, data, 0, data.length, CODEC);
        ChunkStore.Stored second = chunks.put(id, data, 0, data.length, CODEC);

        assertThat(first.storedBytes()).isPositive().isEqualTo(chunks.storedSize(id));
        assertThat(second.storedBytes()).isZero();
        assertThat(second.ref()).isEqualTo(new ChunkRef(id, data.length));
        assertThat(chunks.get(first.ref())).isEqualTo(data);
        assertThat(chunks.listIds()).containsExactly(id);
    }

    @Test
    void storedChunkDoesNotContainItsPlaintext() throws Exception {
        byte[] data = "secret recipe: ".repeat(10).getBytes(StandardCharsets.UTF_8);
        String id = chunks.idOf(data, 0, data.length);
        chunks.put(id, data, 0, data.length, CODEC);

        String onDisk = Files.readString(fileOf(id), StandardCharsets.ISO_8859_1);

        assertThat(onDisk).doesNotContain("secret recipe");
    }

    @Test
    void flippedByteInAChunkFileIsReportedAsCorruptNamingTheKey() throws Exception {
        ChunkRef ref = store(random(10_000, 1));
        Path file = fileOf(ref.id());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);

        assertThatThrownBy(() -> chunks.get(ref))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(ChunkStore.keyOf(ref.id()))
                .hasMessageContaining("is corrupt")
                .satisfies(e -> {
                    CorruptObjectException c = (CorruptObjectException) e;
                    assertThat(c.code()).isEqualTo(ErrorCode.INTEGRITY);
                    assertThat(c.objectKey()).isEqualTo(ChunkStore.keyOf(ref.id()));
                });
    }

    @Test
    void deletedChunkFileIsReportedAsMissing() throws Exception {
        ChunkRef ref = store(random(10_000, 2));
        Files.delete(fileOf(ref.id()));

        assertThatThrownBy(() -> chunks.get(ref))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(ChunkStore.keyOf(ref.id()))
                .hasMessageContaining("is missing");
    }

    @Test
    void chunkFilesSwappedByRenameAreRejected() throws Exception {
        ChunkRef a = store(random(10_000, 3));
        ChunkRef b = store(random(10_000, 4));
        Path fileA = fileOf(a.id());
        Path fileB = fileOf(b.id());
        Path aside = folder.resolve("aside");
        Files.move(fileA, aside);
        Files.move(fileB, fileA);
        Files.move(aside, fileB);

        assertThatThrownBy(() -> chunks.get(a))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(ChunkStore.keyOf(a.id()));
        assertThatThrownBy(() -> chunks.get(b))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(ChunkStore.keyOf(b.id()));
    }

    @Test
    void refWithAWrongSizeIsReportedAsCorrupt() {
        ChunkRef raw = store(random(10_000, 5));
        ChunkRef compressed = store("abc".repeat(5_000).getBytes(StandardCharsets.UTF_8));

        for (ChunkRef ref : new ChunkRef[] {raw, compressed}) {
            for (int size : new int[] {ref.size() - 1, ref.size() + 1}) {
                assertThatThrownBy(() -> chunks.get(new ChunkRef(ref.id(), size)))
                        .as("chunk %s read as %d bytes", ref.id(), size)
                        .isInstanceOf(CorruptObjectException.class)
                        .hasMessageContaining(ChunkStore.keyOf(ref.id()));
            }
        }
    }

    @Test
    void authenticatedReadWithoutRehashReadsBackWhatWasStored() {
        byte[] data = "UPDATE pgbench_accounts SET abalance = abalance + 1;\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        ChunkRef ref = store(data);

        assertThat(authenticated(ref)).isEqualTo(data);
    }

    @Test
    void aReusedBufferHoldsOnlyTheChunkJustRead() {
        byte[] large = random(20_000, 3);
        byte[] small = "abc".repeat(1_000).getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocateDirect(large.length);

        assertThat(bytesOf(chunks.getAuthenticatedInto(store(large), buffer))).isEqualTo(large);
        assertThat(bytesOf(chunks.getAuthenticatedInto(store(small), buffer))).as("after a larger one, in the same buffer").isEqualTo(small);
        assertThatThrownBy(() -> chunks.getAuthenticatedInto(store(large), ByteBuffer.allocateDirect(large.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private byte[] authenticated(ChunkRef ref) {
        return bytesOf(chunks.getAuthenticatedInto(ref, ByteBuffer.allocateDirect(ref.size())));
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void authenticatedReadWithoutRehashRefusesAFlippedByte() throws Exception {
        for (ChunkRef ref : new ChunkRef[] {store(random(10_000, 6)), store("abc".repeat(5_000).getBytes(StandardCharsets.UTF_8))}) {
            Path file = fileOf(ref.id());
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(file, bytes);

            assertThatThrownBy(() -> authenticated(ref))
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining(ChunkStore.keyOf(ref.id()))
                    .hasMessageContaining("is corrupt")
                    .satisfies(e -> assertThat(((CorruptObjectException) e).code()).isEqualTo(ErrorCode.INTEGRITY));
        }
    }

    @Test
    void authenticatedReadWithoutRehashRefusesAChunkStoredUnderAnotherId() throws Exception {
        // same size, so only the id bound into the seal can tell them apart
        ChunkRef a = store(random(10_000, 7));
        ChunkRef b = store(random(10_000, 8));
        Files.copy(fileOf(a.id()), fileOf(b.id()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> authenticated(b))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(ChunkStore.keyOf(b.id()))
                .hasMessageContaining("is corrupt");
        assertThat(authenticated(a)).isEqualTo(random(10_000, 7));
    }

    @Test
    void authenticatedReadWithoutRehashRefusesAWrongSizeAndAMissingChunk() throws Exception {
        ChunkRef ref = store("abc".repeat(5_000).getBytes(StandardCharsets.UTF_8));

        for (int size : new int[] {ref.size() - 1, ref.size() + 1}) {
            assertThatThrownBy(() -> authenticated(new ChunkRef(ref.id(), size)))
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining(ChunkStore.keyOf(ref.id()));
        }
        Files.delete(fileOf(ref.id()));
        assertThatThrownBy(() -> authenticated(ref))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("is missing");
    }

    @Test
    void backupViewTrustsItsKnownChunksWithoutAskingTheStorage() {
        byte[] data = random(10_000, 6);
        String id = chunks.idOf(data, 0, data.length);
        ChunkStore backup = chunks.forBackup(null, java.util.Set.of(id));

        ChunkStore.Stored stored = backup.put(id, data, 0, data.length, CODEC);

        // known from a manifest read under the shared lock: neither written nor looked for
        assertThat(stored.storedBytes()).isZero();
        assertThat(stored.ref()).isEqualTo(new ChunkRef(id, data.length));
        assertThat(chunks.listIds()).isEmpty();
    }

    @Test
    void backupViewWritesAChunkItUsesTwiceOnceAndCountsItOnce() {
        byte[] zeros = new byte[64 * 1024];
        String id = chunks.idOf(zeros, 0, zeros.length);
        ChunkStore backup = chunks.forBackup(null, java.util.Set.of());

        long first = backup.put(id, zeros, 0, zeros.length, CODEC).storedBytes();
        long second = backup.put(id, zeros, 0, zeros.length, CODEC).storedBytes();

        assertThat(first).isPositive().isEqualTo(chunks.storedSize(id));
        assertThat(second).isZero();
        assertThat(chunks.get(new ChunkRef(id, zeros.length))).isEqualTo(zeros);
    }

    @Test
    void backupViewOnAFolderStillFindsAChunkItDoesNotKnow() {
        ChunkRef existing = store(random(10_000, 7));
        byte[] data = random(10_000, 7);

        ChunkStore.Stored again = chunks.forBackup(null, java.util.Set.of()).put(existing.id(), data, 0, data.length, CODEC);

        assertThat(again.storedBytes()).isZero();
        assertThat(chunks.listIds()).containsExactly(existing.id());
    }

    @Test
    void malformedChunkIdIsRefused() {
        assertThatThrownBy(() -> ChunkStore.keyOf("../../cellar.json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkStore.keyOf("ab")).isInstanceOf(IllegalArgumentException.class);
    }

    private ChunkRef store(byte[] data) {
        String id = chunks.idOf(data, 0, data.length);
        return chunks.put(id, data, 0, data.length, CODEC).ref();
    }

    private Path fileOf(String id) {
        return folder.resolve(ChunkStore.keyOf(id));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
