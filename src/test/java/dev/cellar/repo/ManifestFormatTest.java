package dev.cellar.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.storage.LocalStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests sealed compressed in repositories of format 2, as JSON in those of format 1, and read
 * from both: a repository created by an earlier Cellar keeps the form it was created with.
 */
class ManifestFormatTest {
    private static final Instant T = Instant.parse("2026-11-01T02:00:00Z");
    private static final int FILES = 400;

    @TempDir
    Path folder;

    @Test
    void aNewRepositorySealsManifestsCompressedAndReadsThemBack() throws Exception {
        Repository repository = TestRepositories.init(folder);
        assertThat(repository.header().formatVersion()).isEqualTo(RepositoryHeader.FORMAT_VERSION).isEqualTo(2);
        BackupManifest manifest = physicalBackup(T);
        repository.manifests().save(manifest);

        byte[] plaintext = plaintextOf(repository, manifest.id());
        byte[] json = RepositoryJson.write(manifest);
        assertThat(plaintext[0]).isEqualTo((byte) 1);
        assertThat(plaintext.length).isLessThan(json.length / 4);

        assertThat(repository.manifests().load(manifest.id())).isEqualTo(manifest);
        assertThat(repository.manifests().loadWithoutChunks(manifest.id()).physical().files()).hasSize(FILES)
                .allSatisfy(f -> assertThat(f.chunks()).isEmpty());
        // the listing's two paths: its summary, and the manifest parsed when the summary is missing
        assertThat(repository.manifests().headline(manifest.id(), true).id()).isEqualTo(manifest.id());
        Files.delete(folder.resolve(ManifestStore.summaryObjectKey(manifest.id())));
        assertThat(repository.manifests().headline(manifest.id(), false).storedBytes()).isEqualTo(manifest.storedBytes());
    }

    @Test
    void aRepositoryOfFormatOneKeepsItsManifestsJsonAndBothRead() throws Exception {
        TestRepositories.init(folder);
        LocalStorage storage = new LocalStorage(folder);
        RepositoryHeader header = RepositoryJson.read(storage.get(RepositoryHeader.KEY), RepositoryHeader.class);
        storage.put(RepositoryHeader.KEY, RepositoryJson.write(new RepositoryHeader(header.magic(), 1, header.repositoryId(),
                header.createdAt(), header.cipher(), header.chunkIdAlgorithm(), header.compression(), header.chunker())));

        Repository formatOne = Repository.open(storage, TestRepositories.passphrase("test passphrase"), Clock.systemUTC());
        BackupManifest manifest = physicalBackup(T);
        formatOne.manifests().save(manifest);

        byte[] plaintext = plaintextOf(formatOne, manifest.id());
        assertThat(plaintext).isEqualTo(RepositoryJson.write(manifest));
        assertThat(formatOne.manifests().load(manifest.id())).isEqualTo(manifest);
        assertThat(formatOne.manifests().headline(manifest.id(), true).id()).isEqualTo(manifest.id());
    }

    @Test
    void aFlippedByteInACompressedManifestIsRefusedByEveryReader() throws Exception {
        Repository repository = TestRepositories.init(folder);
        BackupManifest manifest = physicalBackup(T);
        repository.manifests().save(manifest);
        Path sealed = folder.resolve(ManifestStore.objectKey(manifest.id()));
        byte[] bytes = Files.readAllBytes(sealed);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(sealed, bytes);

        assertThatThrownBy(() -> repository.manifests().load(manifest.id())).isInstanceOf(CorruptObjectException.class);
        assertThatThrownBy(() -> repository.manifests().loadWithoutChunks(manifest.id())).isInstanceOf(CorruptObjectException.class);
        // the listing authenticates the manifest even when its summary would do for what it shows
        assertThatThrownBy(() -> repository.manifests().headline(manifest.id(), true)).isInstanceOf(CorruptObjectException.class);
    }

    @Test
    void plaintextThatIsNeitherJsonNorTheEncodingIsReportedAsSuch() throws Exception {
        assertThatThrownBy(() -> ManifestPlaintext.json(new byte[] {7, 1, 2})).hasMessageContaining("neither JSON nor compressed JSON");
        assertThatThrownBy(() -> ManifestPlaintext.json(new byte[0])).hasMessageContaining("neither JSON nor compressed JSON");
        byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(ManifestPlaintext.json(ManifestPlaintext.of(json, true))).isEqualTo(json);
        assertThat(ManifestPlaintext.json(ManifestPlaintext.of(json, false))).isSameAs(json);
    }

    private static byte[] plaintextOf(Repository repository, String id) {
        String key = ManifestStore.objectKey(id);
        return repository.keyring().cipher().open(repository.storage().get(key), key);
    }

    /** A physical backup's manifest with as many files as a small cluster, each with its chunk ids. */
    private static BackupManifest physicalBackup(Instant started) {
        HexFormat hex = HexFormat.of();
        List<PhysicalInfo.FileEntry> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            byte[] id = new byte[32];
            new Random(i).nextBytes(id);
            files.add(new PhysicalInfo.FileEntry("base/16384/" + (16400 + i), 8192, 1_700_000_000L + i, 0600,
                    String.format("%08x", i), List.of(new ChunkRef(hex.formatHex(id), 8192))));
        }
        PhysicalInfo info = new PhysicalInfo("full", null, 7300000000000000001L, 1, "0/2000028", "0/2000100", "000000010000000000000002",
                "000000010000000000000002", 16 << 20, 150000, true, "START WAL LOCATION: 0/2000028", "", List.of(), List.of(), files,
                List.of());
        return new BackupManifest(BackupId.next(started), BackupManifest.KIND_PHYSICAL, started, started.plusSeconds(30), null, "15.0",
                "cellar", "localhost:5432 /srv/pg", "postgres@db1", List.of(), List.of(), 0, 4096, info);
    }
}
