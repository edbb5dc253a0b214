package dev.cellar.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.AuditedOperation;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.repo.TestRepositories;
import dev.cellar.storage.ForwardingStorage;
import dev.cellar.storage.LocalStorage;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier on a repository of small chunks written directly, without PostgreSQL. */
class RepositoryVerifierTest {
    @TempDir
    Path repositoryDir;

    private Repository repository;
    private BackupManifest older;
    private BackupManifest newer;

    @BeforeEach
    void twoBackupsSharingMostChunks() throws IOException {
        repository = Repository.init(new LocalStorage(repositoryDir), RepositorySecret.passphrase("pw".toCharArray()),
                ChunkerParameters.ofAverage(4096), Clock.systemUTC());
        byte[] data = new byte[256 * 1024];
        new Random(7).nextBytes(data);
        byte[] grown = new byte[data.length + 64 * 1024];
        new Random(8).nextBytes(grown);
        System.arraycopy(data, 0, grown, 0, data.length);
        older = backup(data);
        newer = backup(grown);
    }

    @Test
    void chunkSharedByBackupsIsReadOnce() {
        VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 3, ProgressListener.NONE);

        assertThat(report.ok()).isTrue();
        assertThat(report.chunksChecked()).isEqualTo(chunkIds(older, newer).size()).isLessThan(older.chunkCount() + newer.chunkCount());
    }

    @Test
    void aDamagedKeyringObjectIsARepositoryProblem() throws IOException {
        Repository rotated = repository.rotateDataKey().repository();
        Path ring = repositoryDir.resolve("keyring/00000001");
        byte[] bytes = Files.readAllBytes(ring);
        bytes[bytes.length - 3] ^= 0x10;
        Files.write(ring, bytes);

        VerifyReport report = new RepositoryVerifier(rotated).verify(List.of(), 3, ProgressListener.NONE);

        assertThat(report.ok()).isFalse();
        assertThat(report.repositoryProblems()).singleElement().asString().contains("keyring/00000001").contains("not a readable data key");
    }

    @Test
    void everyDamagedChunkIsReportedUnderEachBackupThatNeedsIt() throws IOException {
        List<String> onlyNewer = chunkIds(newer).stream().filter(id -> !chunkIds(older).contains(id)).toList();
        String shared = chunkIds(older).iterator().next();
        String newerOnly = onlyNewer.get(onlyNewer.size() - 1);
        flipByte(shared);
        flipByte(newerOnly);

        VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 3, ProgressListener.NONE);

        assertThat(report.ok()).isFalse();
        assertThat(report.chunksChecked()).isEqualTo(chunkIds(older, newer).size());
        assertThat(checkOf(report, older).damagedObjects()).containsExactly(keyOf(shared));
        assertThat(checkOf(report, newer).damagedObjects()).containsExactlyInAnyOrder(keyOf(shared), keyOf(newerOnly));
        assertThat(checkOf(report, newer).problem()).startsWith("2 of its " + chunkIds(newer).size() + " chunks are damaged");
    }

    @Test
    void missingChunkIsDamage() throws IOException {
        String id = chunkIds(older).iterator().next();
        Files.delete(repositoryDir.resolve(keyOf(id)));

        VerifyReport report = new RepositoryVerifier(repository).verify(List.of(older.id()), 1, ProgressListener.NONE);

        assertThat(report.backups()).singleElement().satisfies(check -> {
            assertThat(check.damagedObjects()).containsExactly(keyOf(id));
            assertThat(check.problem()).contains("is missing");
        });
    }

    @Test
    void selectedBackupIsCheckedAlone() {
        VerifyReport report = new RepositoryVerifier(repository).verify(List.of(older.id()), 2, ProgressListener.NONE);

        assertThat(report.backups()).extracting(BackupCheck::backupId).containsExactly(older.id());
        assertThat(report.chunksChecked()).isEqualTo(chunkIds(older).size());
    }

    @Test
    void unreadableKeySlotIsARepositoryProblem() throws IOException {
        Path slot;
        try (var slots = Files.list(repositoryDir.resolve("keys"))) {
            slot = slots.findFirst().orElseThrow();
        }
        Files.writeString(slot, "{\"id\": ");

        VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

        assertThat(report.ok()).isFalse();
        assertThat(report.repositoryProblems()).singleElement().asString().contains("keys/" + slot.getFileName());
    }

    @Test
    void backupThatFinishesWhileVerifyRunsIsNotMissing() throws IOException {
        BackupsFinishingAfterListing storage = new BackupsFinishingAfterListing(new LocalStorage(repositoryDir));
        Repository reopened = Repository.open(storage, RepositorySecret.passphrase("pw".toCharArray()), Clock.systemUTC());
        byte[] data = new byte[32 * 1024];
        new Random(9).nextBytes(data);
        storage.afterFirstListing = () -> {
            try (AuditedOperation audit = AuditedOperation.begin(reopened, "backup.logical", "db")) {
                BackupManifest finished = backup(reopened, data);
                audit.started(finished.id());
                audit.succeeded(finished.storedBytes(), Duration.ZERO);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };

        VerifyReport report = new RepositoryVerifier(reopened).verify(List.of(), 2, ProgressListener.NONE);

        assertThat(storage.afterFirstListing).as("the backup finished after the verify listed the manifests").isNull();
        assertThat(report.backups()).hasSize(2);
        assertThat(report.missingBackups()).isEmpty();
        assertThat(report.ok()).isTrue();
    }

    @Test
    void finishedBackupWhoseManifestIsGoneIsMissing() {
        try (AuditedOperation audit = AuditedOperation.begin(repository, "backup.logical", "db")) {
            audit.started(newer.id());
            audit.succeeded(newer.storedBytes(), Duration.ZERO);
        }
        repository.storage().delete(RepositoryLayout.BACKUPS + newer.id());

        VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

        assertThat(report.ok()).isFalse();
        assertThat(report.missingBackups()).singleElement().asString().startsWith("backup " + newer.id() + ": the audit trail says it finished");
    }

    @Test
    void aDamagedSummaryIsARepositoryProblemAndItsBackupStillVerifies() throws IOException {
        flipFile(repositoryDir.resolve(RepositoryLayout.SUMMARIES + newer.id()));

        VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

        assertThat(report.ok()).isFalse();
        assertThat(report.repositoryProblems()).singleElement().asString().contains(RepositoryLayout.SUMMARIES + newer.id())
                .contains("corrupt");
        assertThat(report.backups()).allSatisfy(check -> assertThat(check.ok()).isTrue());
    }

    @Test
    void aFlippedByteInAManifestIsRefusedAlthoughItsSummaryReads() throws IOException {
        flipFile(repositoryDir.resolve(RepositoryLayout.BACKUPS + newer.id()));

        VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

        assertThat(report.ok()).isFalse();
        assertThat(checkOf(report, newer).ok()).isFalse();
        assertThat(checkOf(report, newer).damagedObjects()).containsExactly(RepositoryLayout.BACKUPS + newer.id());
        assertThat(checkOf(report, older).ok()).isTrue();
    }

    private BackupManifest backup(byte[] data) throws IOException {
        return backup(repository, data);
    }

    private static BackupManifest backup(Repository repository, byte[] data) throws IOException {
        return TestRepositories.logicalBackupOf(repository, data);
    }

    /** A local repository where a backup finishes (through {@link #afterFirstListing}) right after the manifests are first listed. */
    private static final class BackupsFinishingAfterListing extends ForwardingStorage {
        volatile Runnable afterFirstListing;

        BackupsFinishingAfterListing(Storage delegate) {
            super(delegate);
        }

        @Override
        public List<String> list(String prefix) {
            List<String> listed = super.list(prefix);
            Runnable finish = afterFirstListing;
            if (prefix.equals(RepositoryLayout.BACKUPS) && finish != null) {
                afterFirstListing = null;
                finish.run();
            }
            return listed;
        }
    }

    private static BackupCheck checkOf(VerifyReport report, BackupManifest backup) {
        return report.backups().stream().filter(check -> check.backupId().equals(backup.id())).findFirst().orElseThrow();
    }

    private static Set<String> chunkIds(BackupManifest... manifests) {
        return Stream.of(manifests).flatMap(m -> m.streams().stream()).flatMap(s -> s.chunks().stream()).map(ChunkRef::id)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private void flipByte(String chunkId) throws IOException {
        flipFile(repositoryDir.resolve(keyOf(chunkId)));
    }

    private static void flipFile(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
    }

    private static String keyOf(String chunkId) {
        return "chunks/" + chunkId.substring(0, 2) + "/" + chunkId;
    }
}
