package dev.cellar.expire;

import dev.cellar.config.RetentionConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Expire on a real local repository: physical and logical manifests whose chunks are stored,
 * synthetic WAL pushed through the archive, and a clock moved 40 days on.
 */
class ExpireTest {
    private static final Instant DAY_0 = Instant.parse("2026-01-01T01:00:00Z");
    private static final RetentionConfig DEFAULTS = new RetentionConfig(30, 7);

    @TempDir
    Path folder;

    private FortyDaysOfBackups history;
    private Repository repository;
    private WalArchive archive;

    @BeforeEach
    void fortyDaysOfBackups() {
        history = new FortyDaysOfBackups(folder, DAY_0);
        repository = history.repository;
        archive = history.archive;
    }

    @Test
    void dryRunPlanIsExactlyWhatTheRealRunExecutesAndTheRepositoryKeepsExactlyThat() throws IOException {
        List<String> objectsBefore = objects();

        ExpireResult dry = new Expire(repository, DEFAULTS).run(true, Duration.ZERO);

        assertThat(objects()).as("a dry run changes nothing but the audit trail").isEqualTo(objectsBefore);
        RetentionPlan a = dry.plan();
        assertThat(ids(a.delete())).containsExactly(history.p0, history.l1, history.p5);
        assertThat(ids(a.keep())).containsExactly(history.l20, history.p32, history.p38);
        assertThat(a.anchorId()).isEqualTo(history.p32);
        assertThat(a.walKeepFrom()).isEqualTo(segment(40));
        assertThat(a.walToDelete()).hasSize(39 + 1).contains(segment(2) + ".00000028.backup").doesNotContain("00000002.history");
        assertThat(a.chunksToFree()).isEqualTo(3);
        assertThat(a.bytesToFree()).isPositive();
        assertThat(a.warnings()).isEmpty();

        ExpireResult real = new Expire(repository, DEFAULTS).run(false, Duration.ZERO);

        RetentionPlan b = real.plan();
        assertThat(json(b)).isEqualTo(json(a));
        assertThat(repository.manifests().ids()).containsExactlyInAnyOrderElementsOf(ids(a.keep()));
        List<String> walNow = archive.list().stream().map(WalFileName::name).toList();
        List<String> walExpected = new ArrayList<>(walBefore(objectsBefore));
        walExpected.removeAll(a.walToDelete());
        assertThat(walNow).containsExactlyInAnyOrderElementsOf(walExpected).contains("00000002.history");
        assertThat(real.backupsDeleted()).containsExactly(history.p0, history.l1, history.p5);
        assertThat(real.walFilesDeleted()).isEqualTo(40);
        assertThat(real.bytesFreed()).isEqualTo(a.bytesToFree()).isEqualTo(real.walBytesFreed() + real.chunkBytesFreed());
        assertThat(repository.locks().list()).as("expire released its lock").isEmpty();
    }

    @Test
    void aRunInterruptedAfterTheManifestsAndHalfTheWalIsFinishedByTheNextRun() throws IOException {
        RetentionPlan plan = new Expire(repository, DEFAULTS).run(true, Duration.ZERO).plan();
        List<String> walBefore = archive.list().stream().map(WalFileName::name).toList();
        // what a run killed in step 6 leaves: manifests gone, WAL deleted from the oldest up to half-way
        plan.delete().forEach(b -> repository.manifests().delete(b.id()));
        plan.walToDelete().subList(0, plan.walToDelete().size() / 2).forEach(n -> archive.delete(WalFileName.parse(n)));

        ExpireResult rerun = new Expire(repository, DEFAULTS).run(false, Duration.ZERO);

        assertThat(rerun.plan().delete()).isEmpty();
        assertThat(rerun.plan().walToDelete()).containsExactlyElementsOf(
                plan.walToDelete().subList(plan.walToDelete().size() / 2, plan.walToDelete().size()));
        assertThat(rerun.chunksDeleted()).isEqualTo(3);
        List<String> walExpected = new ArrayList<>(walBefore);
        walExpected.removeAll(plan.walToDelete());
        assertThat(archive.list().stream().map(WalFileName::name).toList()).containsExactlyInAnyOrderElementsOf(walExpected);
        assertThat(repository.manifests().ids()).containsExactlyInAnyOrderElementsOf(ids(plan.keep()));
    }

    @Test
    void gcFreesOnlyChunksOfExpiredBackupsAndKeptBackupsStillRead() {
        ExpireResult result = new Expire(repository, DEFAULTS).run(false, Duration.ZERO);

        assertThat(result.chunksDeleted()).isEqualTo(3);
        List<String> chunks = repository.chunks().listIds();
        assertThat(chunks).contains(history.shared.id(), history.onlyP32.id(), history.onlyP38.id(), history.onlyL20.id())
                .doesNotContain(history.onlyP0.id(), history.onlyP5.id(), history.onlyL1.id());
        for (String id : List.of(history.l20, history.p32, history.p38)) {
            repository.manifests().load(id).chunkRefs().forEach(ref -> assertThat(repository.chunks().get(ref)).isNotEmpty());
        }
    }

    @Test
    void everyKeptPhysicalBackupStillHasItsWholeWalRangeAndEverythingAfter() {
        new Expire(repository, DEFAULTS).run(false, Duration.ZERO);

        for (String id : List.of(history.p32, history.p38)) {
            PhysicalInfo info = repository.manifests().load(id).physical();
            long start = WalFileName.parse(info.startWal()).segmentNumber(FortyDaysOfBackups.SEG);
            for (long s = start; s <= 55; s++) {
                assertThat(archive.read(WalFileName.segment(1, s, FortyDaysOfBackups.SEG))).as("segment %d for %s", s, id).isNotEmpty();
            }
        }
        assertThat(archive.contains(WalFileName.segment(1, 39, FortyDaysOfBackups.SEG))).isFalse();
        assertThat(archive.contains(WalFileName.parse("00000002.history"))).isTrue();
    }

    @Test
    void secondRunFindsNothingToDelete() {
        new Expire(repository, DEFAULTS).run(false, Duration.ZERO);

        ExpireResult again = new Expire(repository, DEFAULTS).run(false, Duration.ZERO);

        assertThat(again.plan().deletesNothing()).isTrue();
        assertThat(again.chunksDeleted()).isZero();
        assertThat(again.bytesFreed()).isZero();
    }

    @Test
    void unreadableManifestStopsExpiryBeforeAnyDelete() throws IOException {
        Path manifest = folder.resolve("backups").resolve(history.p5);
        byte[] sealed = Files.readAllBytes(manifest);
        sealed[sealed.length - 1] ^= 0x01;
        Files.write(manifest, sealed);
        List<String> before = objects();

        assertThatThrownBy(() -> new Expire(repository, DEFAULTS).run(false, Duration.ZERO))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.INTEGRITY))
                .hasMessageContaining("before deleting anything").hasMessageContaining(history.p5);
        assertThat(objects()).isEqualTo(before);
        assertThat(repository.locks().list()).isEmpty();
    }

    @Test
    void realRunWaitsForRunningBackupsWhileADryRunDoesNot() {
        List<String> before = objects();
        try (RepositoryLock.Held backup = repository.locks().acquireShared("backup physical", Duration.ZERO)) {
            assertThatThrownBy(() -> new Expire(repository, DEFAULTS).run(false, Duration.ZERO))
                    .isInstanceOf(CellarException.class)
                    .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.LOCKED));
            assertThat(new Expire(repository, DEFAULTS).run(true, Duration.ZERO).plan().delete()).hasSize(3);
        }
        assertThat(objects()).isEqualTo(before);
    }

    @Test
    void auditTrailRecordsThePlanBeforeDeletingAndWhatWasDeleted() {
        new Expire(repository, DEFAULTS).run(false, Duration.ZERO);

        List<AuditRecord> records = repository.audit().read(0).records().stream()
                .filter(r -> r.operation().equals("expire")).toList();
        assertThat(records).extracting(AuditRecord::result).containsExactly(AuditRecord.STARTED, AuditRecord.OK);
        assertThat(records.get(0).detail()).contains("delete 3 backups").contains(history.p0).contains("40 WAL files");
        assertThat(records.get(1).detail()).contains("deleted 3 backups").contains(history.p5).contains("3 chunks");
        assertThat(records.get(1).bytes()).isPositive();
        assertThat(repository.audit().read(0).intact()).isTrue();
    }

    @Test
    void overridesOnTheCommandLineChangeThePlan() {
        ExpireResult keepAll = new Expire(repository, new RetentionConfig(60, 7)).run(true, Duration.ZERO);
        ExpireResult longWindow = new Expire(repository, new RetentionConfig(30, 35)).run(true, Duration.ZERO);

        assertThat(keepAll.plan().delete()).isEmpty();
        assertThat(keepAll.plan().walKeepFrom()).isEqualTo(segment(2));
        assertThat(longWindow.plan().anchorId()).isEqualTo(history.p5);
        assertThat(ids(longWindow.plan().delete())).containsExactly(history.p0, history.l1);
        assertThat(longWindow.plan().walKeepFrom()).isEqualTo(segment(6));
    }

    // ---- helpers

    private static String segment(long number) {
        return FortyDaysOfBackups.segment(number);
    }

    /** Every object in the repository but the audit trail (which dry runs append to). */
    private List<String> objects() {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString())
                    .filter(p -> !p.startsWith("audit/")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> walBefore(List<String> objects) {
        return objects.stream().filter(o -> o.startsWith("wal/")).map(o -> o.substring(o.lastIndexOf('/') + 1)).toList();
    }

    private static String json(RetentionPlan plan) throws IOException {
        return RepositoryJson.mapper().writeValueAsString(plan);
    }

    private static List<String> ids(List<RetentionPlan.BackupDecision> decisions) {
        return decisions.stream().map(RetentionPlan.BackupDecision::id).toList();
    }
}
