package dev.cellar.expire;

import dev.cellar.config.RetentionConfig;
import dev.cellar.config.WormConfig;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.GarbageCollector;
import dev.cellar.repo.MutableClock;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.StreamWriter;
import dev.cellar.repo.TestRepositories;
import dev.cellar.repo.WormPolicy;
import dev.cellar.storage.Retention;
import dev.cellar.verify.RepositoryVerifier;
import dev.cellar.verify.VerifyReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WORM on a real local repository with a fake clock: a locked and an unlocked backup on day 0,
 * a newer one on day 40, retention of 7 days and a lock of 60. Expire deletes the unlocked one,
 * keeps the locked one and says why, gc leaves its chunks; after day 60 it goes too.
 */
class WormExpireTest {
    private static final Instant DAY_0 = Instant.parse("2026-01-01T01:00:00Z");
    private static final RetentionConfig SEVEN_DAYS = new RetentionConfig(7, 1);
    private static final WormPolicy SIXTY_DAYS_COMPLIANCE =
            new WormPolicy(new WormConfig("COMPLIANCE", 60, WormConfig.DEFAULT_KINDS, List.of("cafe")));

    @TempDir
    Path folder;

    private MutableClock clock;
    private Repository repository;
    private BackupManifest locked;
    private BackupManifest unlocked;
    private BackupManifest newest;

    @BeforeEach
    void lockedAndUnlockedBackupsThenFortyDays() throws IOException {
        clock = new MutableClock(DAY_0);
        repository = TestRepositories.init(folder, clock);
        locked = backup("cafe", random(300 * 1024, 1), true);
        unlocked = backup("cafe", random(300 * 1024, 2), false);
        clock.advance(Duration.ofDays(40));
        newest = backup("cafe", random(300 * 1024, 3), false);
    }

    @Test
    void theLockedBackupIsWrittenUnderRetentionAndTheOthersAreNot() {
        Instant until = DAY_0.plus(Duration.ofDays(60));
        assertThat(locked.retention()).isEqualTo(new Retention(Retention.Mode.COMPLIANCE, until));
        assertThat(repository.manifests().load(locked.id()).retention()).as("recorded in the sealed manifest").isEqualTo(locked.retention());
        assertThat(unlocked.retention()).isNull();
        assertThat(repository.manifests().storedRetention(locked.id())).contains(locked.retention());
        assertThat(repository.manifests().storedRetention(unlocked.id())).isEmpty();
        for (String id : chunkIds(locked)) {
            assertThat(repository.storage().retention(chunkKey(id))).as("chunk %s", id).contains(locked.retention());
        }
        for (String id : chunkIds(unlocked)) {
            assertThat(repository.storage().retention(chunkKey(id))).isEmpty();
        }
    }

    @Test
    void expireDeletesTheUnlockedBackupKeepsTheLockedOneAndSaysWhy() {
        ExpireResult dry = new Expire(repository, SEVEN_DAYS).run(true, Duration.ZERO);

        assertThat(dry.plan().delete()).extracting(RetentionPlan.BackupDecision::id).containsExactly(unlocked.id());
        RetentionPlan.BackupDecision kept = dry.plan().keep().stream().filter(b -> b.id().equals(locked.id())).findFirst().orElseThrow();
        assertThat(kept.reason()).isEqualTo("locked until 2026-03-02T01:00:00Z (compliance WORM retention)");
        assertThat(kept.lockedUntil()).isEqualTo(locked.retention().retainUntil());
        assertThat(dry.keptLocked()).extracting(RetentionPlan.BackupDecision::id).containsExactly(locked.id());

        ExpireResult real = new Expire(repository, SEVEN_DAYS).run(false, Duration.ZERO);

        assertThat(real.backupsDeleted()).containsExactly(unlocked.id());
        assertThat(real.locked().none()).as("the plan asked the storage to delete nothing locked").isTrue();
        assertThat(repository.manifests().ids()).containsExactlyInAnyOrder(locked.id(), newest.id());
        Set<String> left = Set.copyOf(repository.chunks().listIds());
        assertThat(left).containsAll(chunkIds(locked)).containsAll(chunkIds(newest)).doesNotContainAnyElementsOf(chunkIds(unlocked));
        repository.manifests().load(locked.id()).chunkRefs().forEach(ref -> assertThat(repository.chunks().get(ref)).hasSize(ref.size()));
    }

    @Test
    void afterTheRetainUntilDateTheNextExpireRemovesIt() {
        new Expire(repository, SEVEN_DAYS).run(false, Duration.ZERO);
        clock.advance(Duration.ofDays(20).plusSeconds(1)); // day 60 + 1 s

        ExpireResult later = new Expire(repository, SEVEN_DAYS).run(false, Duration.ZERO);

        assertThat(later.backupsDeleted()).containsExactly(locked.id());
        assertThat(later.keptLocked()).isEmpty();
        assertThat(later.locked().none()).isTrue();
        assertThat(later.chunksDeleted()).isEqualTo(chunkIds(locked).size());
        assertThat(repository.manifests().ids()).containsExactly(newest.id());
        assertThat(Set.copyOf(repository.chunks().listIds())).isEqualTo(chunkIds(newest));
    }

    @Test
    void gcCountsLockedOrphansLeavesThemAndDeletesTheRest() throws IOException {
        // a locked backup killed before its manifest: its chunks are unreferenced but locked
        Retention lock = SIXTY_DAYS_COMPLIANCE.lockFor(BackupManifest.KIND_LOGICAL, "cafe", clock.instant()).orElseThrow();
        Set<String> lockedOrphans = write(repository.chunks().lockedUntil(lock), random(200 * 1024, 4));
        Set<String> plainOrphans = write(repository.chunks(), random(200 * 1024, 5));

        GarbageCollector.Result gc = new GarbageCollector(repository).collect(false, Duration.ZERO);

        assertThat(gc.unreferenced()).containsExactlyInAnyOrderElementsOf(union(lockedOrphans, plainOrphans));
        assertThat(gc.locked().count()).isEqualTo(lockedOrphans.size());
        assertThat(gc.locked().latestUntil()).isEqualTo(lock.retainUntil());
        assertThat(gc.locked().describe()).isEqualTo(lockedOrphans.size() + " objects locked until " + lock.retainUntil() + ", left in place");
        assertThat(gc.chunksDeleted()).isEqualTo(plainOrphans.size());
        assertThat(Set.copyOf(repository.chunks().listIds())).containsAll(lockedOrphans).doesNotContainAnyElementsOf(plainOrphans);
    }

    @Test
    void aManifestTheStorageRefusesToDeleteIsCountedAndTheRunGoesOn() {
        // the storage holds the unlocked backup's manifest longer than its manifest records
        repository.storage().extendRetention("backups/" + unlocked.id(),
                new Retention(Retention.Mode.GOVERNANCE, clock.instant().plus(Duration.ofDays(3))));

        ExpireResult result = new Expire(repository, SEVEN_DAYS).run(false, Duration.ZERO);

        assertThat(result.backupsDeleted()).isEmpty();
        assertThat(result.locked().count()).isEqualTo(1);
        assertThat(result.locked().describe()).contains("1 object locked until ");
        assertThat(repository.manifests().ids()).contains(unlocked.id());
        assertThat(Set.copyOf(repository.chunks().listIds())).as("gc kept what the surviving manifest references")
                .containsAll(chunkIds(unlocked));
    }

    @Test
    void aLockedBackupThatReusesChunksExtendsTheirRetention() throws IOException {
        byte[] data = random(300 * 1024, 2); // the unlocked backup's content, stored again by a locked one
        BackupManifest again = backup("cafe", data, true);

        assertThat(chunkIds(again)).isEqualTo(chunkIds(unlocked));
        for (String id : chunkIds(again)) {
            assertThat(repository.storage().retention(chunkKey(id))).as("reused chunk %s", id).contains(again.retention());
        }
    }

    @Test
    void verifyCountsLockedBackupsAndFailsWhenTheStorageDoesNotHoldTheLock() throws IOException {
        VerifyReport fine = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

        assertThat(fine.ok()).isTrue();
        assertThat(fine.worm().lockedBackups()).isEqualTo(1);
        assertThat(fine.worm().latestUntil()).isEqualTo(locked.retention().retainUntil());

        // someone with shell access removed the lock record
        Files.delete(folder.resolve(".retention/backups/" + locked.id()));
        VerifyReport broken = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

        assertThat(broken.ok()).isFalse();
        assertThat(broken.worm().problems()).singleElement().asString()
                .contains("backup " + locked.id()).contains("storage holds the manifest under no retention");
    }

    /** A logical backup written the way LogicalBackup writes one, under the policy's lock or unlocked. */
    private BackupManifest backup(String database, byte[] data, boolean underWorm) throws IOException {
        Instant started = clock.instant();
        Retention lock = underWorm ? SIXTY_DAYS_COMPLIANCE.lockFor(BackupManifest.KIND_LOGICAL, database, started).orElseThrow() : null;
        try (StreamWriter writer = new StreamWriter(repository, repository.chunks().lockedUntil(lock), 3, 2)) {
            StreamWriter.Written written = writer.write("dump", "custom", new ByteArrayInputStream(data), ProgressListener.NONE);
            BackupManifest manifest = new BackupManifest(BackupId.next(started), BackupManifest.KIND_LOGICAL, started,
                    started.plusSeconds(60), database, "17", "pg_dump 17", "localhost:5432", "test", List.of(written.stream()),
                    List.of(), written.storedBytes(), 0, null).lockedBy(lock);
            repository.manifests().save(manifest);
            return manifest;
        }
    }

    private Set<String> write(dev.cellar.repo.ChunkStore chunks, byte[] data) throws IOException {
        try (StreamWriter writer = new StreamWriter(repository, chunks, 3, 2)) {
            return writer.write("dump", "custom", new ByteArrayInputStream(data), ProgressListener.NONE).stream().chunks().stream()
                    .map(ChunkRef::id).collect(Collectors.toSet());
        }
    }

    private static Set<String> chunkIds(BackupManifest manifest) {
        return manifest.chunkRefs().map(ChunkRef::id).collect(Collectors.toSet());
    }

    private static String chunkKey(String id) {
        return "chunks/" + id.substring(0, 2) + "/" + id;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
