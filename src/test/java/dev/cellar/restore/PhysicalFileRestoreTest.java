package dev.cellar.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.pipeline.Crc32cText;
import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.TestRepositories;
import dev.cellar.storage.ForwardingStorage;
import dev.cellar.storage.LocalStorage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of a physical backup written back from their chunks, without a cluster: what is
 * restored is what was backed up, and a restore whose chunk threads stop on something other than
 * an exception (an Error such as running out of memory) fails instead of leaving a hole.
 */
class PhysicalFileRestoreTest {
    private static final ZstdCodec CODEC = new ZstdCodec(3);

    @TempDir
    Path repositoryFolder;

    @TempDir
    Path restoreInto;

    private Repository repository;
    private final byte[] relation = bytes(3 * 8192, 1);
    private final byte[] catalog = bytes(8192 + 100, 2);
    private BackupManifest manifest;
    private ChunkRef catalogChunk;

    @BeforeEach
    void backUpTwoFiles() {
        repository = TestRepositories.init(repositoryFolder);
        List<ChunkRef> relationChunks = List.of(store(relation, 0, 2 * 8192), store(relation, 2 * 8192, 8192));
        catalogChunk = store(catalog, 0, catalog.length);
        List<PhysicalInfo.FileEntry> files = List.of(
                new PhysicalInfo.FileEntry("base/1/16384", relation.length, 0, 0600, crcOf(relation), relationChunks),
                new PhysicalInfo.FileEntry("global/1262", catalog.length, 0, 0600, crcOf(catalog), List.of(catalogChunk)),
                new PhysicalInfo.FileEntry("postmaster.opts", 0, 0, 0600, "00000000", List.of()));
        PhysicalInfo info = new PhysicalInfo("full", null, 7_000_000_000_000_000_001L, 1, "0/2000028", "0/2000100",
                "000000010000000000000002", "000000010000000000000002", 16 << 20, 150000, true, "START WAL LOCATION: 0/2000028\n", "",
                List.of(), List.of(new PhysicalInfo.DirectoryEntry("base", 0700), new PhysicalInfo.DirectoryEntry("base/1", 0700),
                        new PhysicalInfo.DirectoryEntry("global", 0700)), files, List.of());
        Instant now = Instant.now();
        manifest = new BackupManifest(BackupId.next(now), BackupManifest.KIND_PHYSICAL, now, now, null, "15.0", "cellar",
                "localhost:5432 /srv/pg", "postgres@db1", List.of(), List.of(), 0, 0, info);
    }

    @Test
    void everyFileComesBackAsItWasBackedUp() throws Exception {
        PhysicalFileRestore.Result result = PhysicalFileRestore.restore(repository, manifest, restoreInto.resolve("data"), Map.of(), 2,
                ProgressListener.NONE);

        Path data = restoreInto.resolve("data");
        assertThat(Files.readAllBytes(data.resolve("base/1/16384"))).isEqualTo(relation);
        assertThat(Files.readAllBytes(data.resolve("global/1262"))).isEqualTo(catalog);
        assertThat(data.resolve("postmaster.opts")).isEmptyFile();
        assertThat(data.resolve("backup_label")).hasContent("START WAL LOCATION: 0/2000028");
        assertThat(result.bytes()).isGreaterThan(relation.length + catalog.length);
    }

    @Test
    void anErrorInAChunkThreadFailsTheRestoreInsteadOfLeavingAFileOut() {
        String failingKey = ChunkStore.objectKey(catalogChunk.id());
        Repository outOfMemoryOnOneChunk = Repository.open(new ForwardingStorage(new LocalStorage(repositoryFolder, Clock.systemUTC())) {
            @Override
            public byte[] get(String key) {
                if (key.equals(failingKey)) {
                    throw new OutOfMemoryError("Direct buffer memory (test)");
                }
                return super.get(key);
            }
        }, TestRepositories.passphrase("test passphrase"), Clock.systemUTC());

        assertThatThrownBy(() -> PhysicalFileRestore.restore(outOfMemoryOnOneChunk, manifest, restoreInto.resolve("data"), Map.of(), 2,
                ProgressListener.NONE))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("OutOfMemoryError")
                .hasMessageContaining(restoreInto.resolve("data").toString());
    }

    private ChunkRef store(byte[] data, int offset, int length) {
        String id = repository.chunks().idOf(data, offset, length);
        return repository.chunks().put(id, data, offset, length, CODEC).ref();
    }

    private static String crcOf(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return Crc32cText.of(crc);
    }

    private static byte[] bytes(int size, long seed) {
        // half random, half zeros: compressible, as relation pages are
        byte[] random = new byte[size / 2];
        new Random(seed).nextBytes(random);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(random);
        out.writeBytes(new byte[size - random.length]);
        return out.toByteArray();
    }
}
