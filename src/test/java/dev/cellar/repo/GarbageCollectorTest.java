package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GarbageCollectorTest {
    @TempDir
    Path folder;

    private Repository repository;
    private byte[] keptData;
    private BackupManifest manifest;
    private Set<String> orphans;

    @BeforeEach
    void buildRepositoryWithOneBackupAndOrphans() throws IOException {
        repository = TestRepositories.init(folder);
        keptData = random(600 * 1024, 1);
        byte[] abandoned = random(400 * 1024, 2);
        try (StreamWriter writer = new StreamWriter(repository, 3, 2)) {
            BackupManifest.StreamEntry kept = writer.write("dump", "custom", new ByteArrayInputStream(keptData), ProgressListener.NONE).stream();
            Instant started = Instant.parse("2024-03-01T02:00:00Z");
            manifest = new BackupManifest(BackupId.next(started), BackupManifest.KIND_LOGICAL, started, started.plusSeconds(30),
                    "cafe", "15.6", "0.1.0", "localhost:5432", "postgres@db1", List.of(kept), List.of(), 0, 1, null);
            repository.manifests().save(manifest);
            // a backup killed before its manifest was written leaves these behind
            BackupManifest.StreamEntry lost = writer.write("dump", "custom", new ByteArrayInputStream(abandoned), ProgressListener.NONE).stream();
            orphans = new HashSet<>(lost.chunks().stream().map(ChunkRef::id).toList());
        }
        Set<String> keptIds = new HashSet<>(manifest.streams().get(0).chunks().stream().map(ChunkRef::id).toList());
        assertThat(orphans).isNotEmpty().doesNotContainAnyElementsOf(keptIds);
    }

    @Test
    void dryRunReportsTheOrphansAndDeletesNothing() {
        List<String> before = repository.chunks().listIds();

        GarbageCollector.Result result = new GarbageCollector(repository).collect(true, Duration.ZERO);

        assertThat(result.dryRun()).isTrue();
        assertThat(result.backups()).isEqualTo(1);
        assertThat(result.chunksBefore()).isEqualTo(before.size());
        assertThat(result.unreferenced()).containsExactlyInAnyOrderElementsOf(orphans);
        assertThat(result.bytesFreed()).isPositive();
        assertThat(repository.chunks().listIds()).isEqualTo(before);
    }

    @Test
    void collectDeletesExactlyTheOrphansAndTheBackupStillReads() throws IOException {
        List<String> before = repository.chunks().listIds();
        long orphanBytes = orphans.stream().mapToLong(repository.chunks()::storedSize).sum();

        GarbageCollector.Result result = new GarbageCollector(repository).collect(false, Duration.ZERO);

        assertThat(result.unreferenced()).containsExactlyInAnyOrderElementsOf(orphans);
        assertThat(result.bytesFreed()).isEqualTo(orphanBytes);
        assertThat(result.chunksReferenced()).isEqualTo(before.size() - orphans.size());
        assertThat(repository.chunks().listIds())
                .containsExactlyInAnyOrderElementsOf(before.stream().filter(id -> !orphans.contains(id)).toList());
        assertThat(readBack(repository.manifests().load(manifest.id()).streams().get(0))).isEqualTo(keptData);
        assertThat(repository.locks().list()).as("gc released its lock").isEmpty();
    }

    @Test
    void secondCollectFindsNothing() {
        new GarbageCollector(repository).collect(false, Duration.ZERO);

        GarbageCollector.Result again = new GarbageCollector(repository).collect(false, Duration.ZERO);

        assertThat(again.unreferenced()).isEmpty();
        assertThat(again.bytesFreed()).isZero();
    }

    @Test
    void collectRemovesTheSummaryOfABackupThatDiedBeforeItsManifestAndKeepsTheOthers() {
        String died = "20261102T020000.000Z-dead01";
        repository.storage().put(RepositoryLayout.SUMMARIES + died, new byte[] {1, 2, 3});

        new GarbageCollector(repository).collect(true, Duration.ZERO);
        assertThat(repository.manifests().idsWithSummary()).as("a dry run deletes nothing").contains(died);
        new GarbageCollector(repository).collect(false, Duration.ZERO);

        assertThat(repository.manifests().idsWithSummary()).containsExactly(manifest.id());
    }

    @Test
    void collectRemovesTemporaryFilesOfDeadWriters() throws IOException {
        Files.writeString(folder.resolve("tmp").resolve("3f1c-stray"), "half a chunk");

        GarbageCollector.Result result = new GarbageCollector(repository).collect(false, Duration.ZERO);

        assertThat(result.tempFilesRemoved()).isEqualTo(1);
        assertThat(repository.storage().list("tmp/")).isEmpty();
    }

    @Test
    void corruptManifestStopsCollectionBeforeAnyDelete() throws IOException {
        Path manifestFile = folder.resolve(ManifestStore.keyOf(manifest.id()));
        byte[] bytes = Files.readAllBytes(manifestFile);
        bytes[bytes.length - 1] ^= 0x10;
        Files.write(manifestFile, bytes);
        List<String> before = repository.chunks().listIds();

        assertThatThrownBy(() -> new GarbageCollector(repository).collect(false, Duration.ZERO))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.INTEGRITY))
                .hasMessageContaining("deleting anything")
                .hasMessageContaining(manifest.id());
        assertThat(repository.chunks().listIds()).isEqualTo(before);
        assertThat(repository.locks().list()).as("gc released its lock").isEmpty();
    }

    @Test
    void collectFailsWithLockedWhileABackupHoldsASharedLock() {
        List<String> before = repository.chunks().listIds();

        try (RepositoryLock.Held backup = repository.locks().acquireShared("backup logical", Duration.ZERO)) {
            assertThatThrownBy(() -> new GarbageCollector(repository).collect(false, Duration.ZERO))
                    .isInstanceOf(CellarException.class)
                    .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.LOCKED));
        }
        assertThat(repository.chunks().listIds()).isEqualTo(before);
    }

    private byte[] readBack(BackupManifest.StreamEntry stream) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StreamReader reader = new StreamReader(repository, 2)) {
            reader.read(stream, out, ProgressListener.NONE);
        }
        return out.toByteArray();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
