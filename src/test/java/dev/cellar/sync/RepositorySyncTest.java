package dev.cellar.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.RetentionConfig;
import dev.cellar.expire.FortyDaysOfBackups;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.TestRepositories;
import dev.cellar.storage.LocalStorage;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositorySyncTest {
    private static final Instant DAY0 = Instant.parse("2026-03-01T02:00:00Z");

    @TempDir
    Path dir;

    private FortyDaysOfBackups history;
    private LocalStorage target;

    @BeforeEach
    void fortyDaysInTheSourceAndAnEmptyTarget() {
        history = new FortyDaysOfBackups(dir.resolve("local"), DAY0);
        target = new LocalStorage(dir.resolve("cloud"));
    }

    private SyncResult.CopyResult sync(RetentionConfig retention) {
        return new RepositorySync(history.repository, "local", 2)
                .syncTo(new RepositorySync.Target("cloud", target, retention), false, Duration.ZERO, ProgressListener.NONE);
    }

    @Test
    void anEmptyCopyReceivesEverythingItKeepsAndOpensWithTheSamePassphrase() {
        SyncResult.CopyResult result = sync(new RetentionConfig(3650, 3650));

        assertThat(result.initialised()).isTrue();
        assertThat(result.failures()).isEmpty();
        Repository copy = Repository.open(target, TestRepositories.passphrase("test passphrase"), history.clock);
        assertThat(copy.header()).isEqualTo(history.repository.header());
        assertThat(copy.manifests().ids()).isEqualTo(history.repository.manifests().ids()).hasSize(6);
        assertThat(result.backupsCopied()).isEqualTo(history.repository.manifests().ids());
        for (String id : copy.manifests().ids()) {
            copy.manifests().load(id).chunkRefs().forEach(ref -> assertThat(copy.chunks().get(ref)).hasSize((int) ref.size()));
        }
        assertThat(result.chunks().objects()).isEqualTo(7);
        // segment 1 precedes the oldest backup's start: no retention keeps it
        List<WalFileName> wal = new WalArchive(history.repository, 1).list().stream()
                .filter(f -> !f.name().equals(FortyDaysOfBackups.segment(1))).toList();
        assertThat(new WalArchive(copy, 1).list()).isEqualTo(wal);
        assertThat(result.skipped()).singleElement().asString().contains(FortyDaysOfBackups.segment(1));
        wal.forEach(f -> assertThat(new WalArchive(copy, 1).read(f)).isEqualTo(new WalArchive(history.repository, 1).read(f)));
    }

    @Test
    void archiveAndErasureLedgerObjectsReachTheCopyWithTheirLockAndOnlyOnce() {
        Instant until = DAY0.plus(Duration.ofDays(2557));
        history.repository.storage().putIfAbsentRetained("archives/shop/monthly/2026-02/manifest.json", new byte[] {1, 2, 3},
                new dev.cellar.storage.Retention(dev.cellar.storage.Retention.Mode.COMPLIANCE, until));
        history.repository.storage().putIfAbsent("erasures/00000000000000000001", new byte[] {4, 5});

        SyncResult.CopyResult first = sync(new RetentionConfig(3650, 3650));
        SyncResult.CopyResult again = sync(new RetentionConfig(3650, 3650));

        assertThat(first.lifecycle()).isEqualTo(new SyncResult.Count(2, 5));
        assertThat(target.get("archives/shop/monthly/2026-02/manifest.json")).containsExactly(1, 2, 3);
        assertThat(target.get("erasures/00000000000000000001")).containsExactly(4, 5);
        assertThat(target.retention("archives/shop/monthly/2026-02/manifest.json")).get()
                .extracting(dev.cellar.storage.Retention::retainUntil).isEqualTo(until);
        assertThat(target.retention("erasures/00000000000000000001")).isEmpty();
        assertThat(again.lifecycle()).isEqualTo(SyncResult.Count.NONE);
    }

    @Test
    void aSecondSyncCopiesNothing() {
        SyncResult.CopyResult first = sync(new RetentionConfig(3650, 3650));

        SyncResult.CopyResult again = sync(new RetentionConfig(3650, 3650));

        assertThat(again.copiedNothing()).as(again.toString()).isTrue();
        assertThat(again.skipped()).isEqualTo(first.skipped());
        assertThat(again.initialised()).isFalse();
    }

    @Test
    void aCopyWithAShorterRetentionDoesNotReceiveWhatItWouldExpireAtOnce() {
        SyncResult.CopyResult result = sync(new RetentionConfig(7, 7));

        // day 40, 7 days: P38 is young, P32 anchors the window, L20 is the newest logical backup
        assertThat(result.backupsCopied()).containsExactly(history.l20, history.p32, history.p38);
        assertThat(result.skipped()).anyMatch(s -> s.startsWith(history.p0 + ":"))
                .anyMatch(s -> s.startsWith(history.l1 + ":")).anyMatch(s -> s.startsWith(history.p5 + ":"));
        Repository copy = history.repository.onCopy(target);
        List<WalFileName> wal = new WalArchive(copy, 1).list();
        assertThat(wal).isNotEmpty().allMatch(f -> f.kind() == WalFileName.Kind.HISTORY
                || f.segmentNumber(FortyDaysOfBackups.SEG) >= 40);
        assertThat(wal).contains(WalFileName.parse(FortyDaysOfBackups.segment(40)), WalFileName.parse(FortyDaysOfBackups.segment(55)));
        assertThat(target.exists(ChunkStore.objectKey(history.onlyP0.id()))).isFalse();
    }

    @Test
    void aBackupWithAChunkDamagedInTheSourceIsNotCopiedAndIsReported() throws Exception {
        Path chunk = dir.resolve("local").resolve(ChunkStore.objectKey(history.onlyL20.id()));
        byte[] bytes = Files.readAllBytes(chunk);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(chunk, bytes);

        SyncResult.CopyResult result = sync(new RetentionConfig(3650, 3650));

        assertThat(result.backupsCopied()).hasSize(5).doesNotContain(history.l20);
        assertThat(result.failures()).singleElement().asString().contains(history.l20, ChunkStore.objectKey(history.onlyL20.id()));
        assertThat(target.exists(ChunkStore.objectKey(history.onlyL20.id()))).isFalse();
        assertThat(target.exists(BackupManifest.class.getSimpleName())).isFalse();
    }
}
