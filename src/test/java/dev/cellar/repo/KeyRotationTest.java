package dev.cellar.repo;

import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.storage.LocalStorage;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Data-key rotation and re-encryption on a local repository: what opens, what is rewritten, what is left and why. */
class KeyRotationTest {
    private static final ZstdCodec CODEC = new ZstdCodec(3);
    private static final String WAL_KEY = "wal/00000001/000000010000000000000003";

    @TempDir
    Path folder;

    private Repository repository;
    private BackupManifest backup;

    @BeforeEach
    void repositoryWithABackupAndWal() throws Exception {
        repository = TestRepositories.init(folder);
        backup = backup(repository, random(300_000, 1));
        repository.wal().putIfAbsent(WAL_KEY, "000000010000000000000003", random(70_000, 2), CODEC, Instant.now());
    }

    @Test
    void aRotatedKeySealsNewObjectsAndEveryOldObjectStillOpens() throws Exception {
        Repository rotated = repository.rotateDataKey().repository();
        BackupManifest after = backup(rotated, random(200_000, 3));

        Repository reopened = reopen();
        assertThat(reopened.keyring().currentKeyId()).isEqualTo(1);
        assertThat(reopened.keyring().describe()).extracting(DataKeyring.DataKeyInfo::id).containsExactly(0, 1);
        assertThat(keyIdOf(ManifestStore.objectKey(backup.id()))).isZero();
        assertThat(keyIdOf(ManifestStore.objectKey(after.id()))).isEqualTo(1);
        assertThat(reopened.manifests().load(backup.id())).isEqualTo(backup);
        assertThat(reopened.manifests().load(after.id())).isEqualTo(after);
        assertThat(reopened.wal().get(WAL_KEY)).isEqualTo(random(70_000, 2));
        // a Cellar that holds only data key 0 cannot open what key 1 sealed, and says so
        assertThatThrownBy(() -> repository.manifests().load(after.id())).hasMessageContaining("data key 1");
    }

    @Test
    void reencryptionRewritesEveryOlderObjectUnderItsOwnNameAndASecondRunFindsNothingToDo() throws Exception {
        List<String> chunksBefore = repository.chunks().listIds();
        Repository rotated = repository.rotateDataKey().repository();

        ObjectReencryption.Result first = new ObjectReencryption(rotated).run(2, Duration.ZERO, ProgressListener.NONE);

        assertThat(first.finished()).isTrue();
        assertThat(first.reencrypted()).isEqualTo(first.checked()).isEqualTo(chunksBefore.size() + 2);
        assertThat(rotated.chunks().listIds()).isEqualTo(chunksBefore); // same ids: deduplication goes on
        for (String key : repository.storage().list("")) {
            if (key.startsWith("chunks/") || key.startsWith("backups/")) {
                assertThat(keyIdOf(key)).as(key).isEqualTo(1);
            }
        }
        assertThat(WalStore.keyIds(WAL_KEY, repository.storage().get(WAL_KEY))).containsExactly(1, 1);
        Repository reopened = reopen();
        assertThat(reopened.manifests().load(backup.id())).isEqualTo(backup);
        for (String id : chunksBefore) {
            assertThat(reopened.chunks().listIds()).contains(id);
        }
        assertThat(reopened.wal().get(WAL_KEY)).isEqualTo(random(70_000, 2));
        // the summary follows its manifest: sealed with the new key, naming the manifest's new tag, so list keeps using it
        String summaryKey = ManifestStore.summaryKeyOf(backup.id());
        byte[] manifest = repository.storage().get(ManifestStore.objectKey(backup.id()));
        assertThat(first.summariesResealed()).isEqualTo(1);
        assertThat(keyIdOf(summaryKey)).isEqualTo(1);
        assertThat(reopened.manifests().summary(backup.id()).orElseThrow().manifestTag())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.util.Arrays.copyOfRange(manifest, manifest.length - 16, manifest.length)));

        ObjectReencryption.Result second = new ObjectReencryption(reopened).run(2, Duration.ZERO, ProgressListener.NONE);
        assertThat(second.reencrypted()).isZero();
        assertThat(second.summariesResealed()).isZero();
        assertThat(second.alreadyCurrent()).isEqualTo(first.checked());
    }

    @Test
    void objectsUnderWormRetentionKeepTheirKeyAndAreListed() {
        Instant until = Instant.now().plus(Duration.ofDays(30));
        Retention lock = new Retention(Retention.Mode.COMPLIANCE, until);
        String manifestKey = ManifestStore.objectKey(backup.id());
        repository.storage().extendRetention(manifestKey, lock);
        String lockedChunk = ChunkStore.keyOf(repository.chunks().listIds().get(0));
        repository.storage().extendRetention(lockedChunk, lock);
        Repository rotated = repository.rotateDataKey().repository();

        ObjectReencryption.Result result = new ObjectReencryption(rotated).run(2, Duration.ZERO, ProgressListener.NONE);

        assertThat(result.lockedObjects()).isEqualTo(2);
        assertThat(result.lockedBackups()).containsExactly(new ObjectReencryption.LockedObject(backup.id(), until));
        assertThat(result.lockedUntil()).isEqualTo(until);
        assertThat(result.olderKeyObjects()).containsEntry(0, 2L);
        assertThat(result.finished()).isFalse();
        assertThat(keyIdOf(manifestKey)).isZero();
        assertThat(keyIdOf(lockedChunk)).isZero();
        assertThat(rotated.manifests().load(backup.id())).isEqualTo(backup);
    }

    @Test
    void aDamagedObjectIsReportedAndLeftAsItIs() throws Exception {
        String chunk = ChunkStore.keyOf(repository.chunks().listIds().get(0));
        Path file = folder.resolve(chunk);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        Repository rotated = repository.rotateDataKey().repository();

        ObjectReencryption.Result result = new ObjectReencryption(rotated).run(1, Duration.ZERO, ProgressListener.NONE);

        assertThat(result.damaged()).containsExactly(chunk);
        assertThat(result.finished()).isFalse();
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(result.reencrypted()).isEqualTo(result.checked() - 1);
    }

    @Test
    void theKeyringIsSealedWithAKeyThatDataKeyZeroAloneDoesNotGive() throws Exception {
        repository.rotateDataKey();
        byte[] sealed = repository.storage().get("keyring/00000001");
        byte[] dataKeyZero = keyMaterial().dataKey();

        assertThatThrownBy(() -> new AeadCipher(dataKeyZero).open(sealed, "keyring/00000001"))
                .isInstanceOf(AeadCipher.AuthenticationFailedException.class);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("keyBase64");
    }

    @Test
    void aDamagedKeyringObjectStopsTheOpeningNamingIt() throws Exception {
        repository.rotateDataKey();
        Path file = folder.resolve("keyring/00000001");
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 0x01;
        Files.write(file, bytes);

        assertThatThrownBy(this::reopen)
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("keyring/00000001")
                .satisfies(e -> assertThat(((CorruptObjectException) e).code()).isEqualTo(ErrorCode.INTEGRITY));
    }

    @Test
    void twoRotationsAtOnceNeverWriteTwoKeysUnderOneId() {
        Repository stale = reopen();
        repository.rotateDataKey();

        assertThatThrownBy(stale::rotateDataKey).hasMessageContaining("at the same time")
                .satisfies(e -> assertThat(((dev.cellar.error.CellarException) e).code()).isEqualTo(ErrorCode.LOCKED));
        assertThat(reopen().keyring().currentKeyId()).isEqualTo(1);
    }

    @Test
    void aCopyReceivesTheKeysItLacksSoItOpensAlone() throws Exception {
        Repository rotated = repository.rotateDataKey().repository();
        BackupManifest after = backup(rotated, random(100_000, 4));
        Path copyFolder = Files.createDirectories(folder.resolveSibling(folder.getFileName() + "-copy"));
        Storage copy = new LocalStorage(copyFolder, Clock.systemUTC());
        for (String key : repository.storage().list("")) {
            if (!key.startsWith("keyring/")) {
                copy.put(key, repository.storage().get(key));
            }
        }

        assertThat(rotated.keyring().writeMissingTo(copy)).isEqualTo(1);
        assertThat(rotated.keyring().writeMissingTo(copy)).isZero();
        Repository onCopy = Repository.open(copy, TestRepositories.passphrase("test passphrase"), Clock.systemUTC());
        assertThat(onCopy.manifests().load(after.id())).isEqualTo(after);
    }

    private KeyMaterial keyMaterial() throws Exception {
        return KeyWrapper.unwrap(RepositoryJson.read(repository.storage().get(repository.storage().list("keys/").get(0)), KeySlot.class),
                "test passphrase".getBytes(StandardCharsets.UTF_8));
    }

    private Repository reopen() {
        return Repository.open(repository.storage(), TestRepositories.passphrase("test passphrase"), Clock.systemUTC());
    }

    private int keyIdOf(String key) {
        return AeadCipher.keyIdOf(repository.storage().get(key));
    }

    private static BackupManifest backup(Repository repository, byte[] data) throws Exception {
        return TestRepositories.logicalBackupOf(repository, data);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
