package dev.cellar.expire;

import dev.cellar.config.RetentionConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.MutableClock;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.repo.TestRepositories;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
    private static final int SEG = 16 * 1024 * 1024;
    private static final Instant DAY_0 = Instant.parse("2026-01-01T01:00:00Z");
    private static final RetentionConfig DEFAULTS = new RetentionConfig(30, 7);
    private static final ZstdCodec CODEC = new ZstdCodec(3);

    @TempDir
    Path folder;

    private MutableClock clock;
    private Repository repository;
    private WalArchive archive;
    private ChunkRef shared;
    private ChunkRef onlyP0;
    private ChunkRef onlyP5;
    private ChunkRef onlyL1;
    private ChunkRef onlyL20;
    private ChunkRef onlyP32;
    private ChunkRef onlyP38;
    private String p0;
    private String p5;
    private String l1;
    private String l20;
    private String p32;
    private String p38;

    /**
     * Day 0 full P0 (WAL 2..3), day 1 logical L1, day 5 incremental P5 of P0 (WAL 6..7), day 20
     * logical L20, day 32 full P32 (WAL 40..41), day 38 incremental P38 of P32 (WAL 50..51); WAL
     * 1..55 archived as the days pass, with a backup-history file and a timeline history file.
     * Every physical backup shares one chunk and has one of its own.
     */
    @BeforeEach
    void fortyDaysOfBackups() {
        clock = new MutableClock(DAY_0);
        repository = TestRepositories.init(folder, clock);
        archive = new WalArchive(repository, 3);
        shared = chunk("shared relation file");
        onlyP0 = chunk("P0 only");
        onlyP5 = chunk("P5 only");
        onlyL1 = chunk("L1 only");
        onlyL20 = chunk("L20 only");
        onlyP32 = chunk("P32 only");
        onlyP38 = chunk("P38 only");

        pushWal(1, 4);
        archive.push(WalFileName.parse(WalFileName.segment(1, 2, SEG).name() + ".00000028.backup"), bytes("backup history", 100));
        p0 = physical(PhysicalInfo.TYPE_FULL, null, 2, 3, shared, onlyP0);
        atDay(1);
        l1 = logical(onlyL1);
        pushWal(5, 8);
        atDay(5);
        p5 = physical(PhysicalInfo.TYPE_INCREMENTAL, p0, 6, 7, shared, onlyP5);
        pushWal(9, 30);
        atDay(20);
        l20 = logical(onlyL20);
        archive.push(WalFileName.parse("00000002.history"), "1\t0/1E000000\tno recovery target specified\n".getBytes(StandardCharsets.UTF_8));
        pushWal(31, 45);
        atDay(32);
        p32 = physical(PhysicalInfo.TYPE_FULL, null, 40, 41, shared, onlyP32);
        pushWal(46, 52);
        atDay(38);
        p38 = physical(PhysicalInfo.TYPE_INCREMENTAL, p32, 50, 51, shared, onlyP38);
        pushWal(53, 55);
        atDay(40);
    }

    @Test
    void dryRunPlanIsExactlyWhatTheRealRunExecutesAndTheRepositoryKeepsExactlyThat() throws IOException {
        List<String> objectsBefore = objects();

        ExpireResult dry = new Expire(repository, DEFAULTS).run(true, Duration.ZERO);

        assertThat(objects()).as("a dry run changes nothing but the audit trail").isEqualTo(objectsBefore);
        RetentionPlan a = dry.plan();
        assertThat(ids(a.delete())).containsExactly(p0, l1, p5);
        assertThat(ids(a.keep())).containsExactly(l20, p32, p38);
        assertThat(a.anchorId()).isEqualTo(p32);
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
        assertThat(real.backupsDeleted()).containsExactly(p0, l1, p5);
        assertThat(real.walFilesDeleted()).isEqualTo(40);
        assertThat(real.bytesFreed()).isEqualTo(a.bytesToFree()).isEqualTo(real.walBytesFreed() + real.chunkBytesFreed());
        assertThat(repository.locks().list()).as("expire released its lock").isEmpty();
    }

    @Test
    void gcFreesOnlyChunksOfExpiredBackupsAndKeptBackupsStillRead() {
        ExpireResult result = new Expire(repository, DEFAULTS).run(false, Duration.ZERO);

        assertThat(result.chunksDeleted()).isEqualTo(3);
        List<String> chunks = repository.chunks().listIds();
        assertThat(chunks).contains(shared.id(), onlyP32.id(), onlyP38.id(), onlyL20.id())
                .doesNotContain(onlyP0.id(), onlyP5.id(), onlyL1.id());
        for (String id : List.of(l20, p32, p38)) {
            repository.manifests().load(id).chunkRefs().forEach(ref -> assertThat(repository.chunks().get(ref)).isNotEmpty());
        }
    }

    @Test
    void everyKeptPhysicalBackupStillHasItsWholeWalRangeAndEverythingAfter() {
        new Expire(repository, DEFAULTS).run(false, Duration.ZERO);

        for (String id : List.of(p32, p38)) {
            PhysicalInfo info = repository.manifests().load(id).physical();
            long start = WalFileName.parse(info.startWal()).segmentNumber(SEG);
            for (long s = start; s <= 55; s++) {
                assertThat(archive.read(WalFileName.segment(1, s, SEG))).as("segment %d for %s", s, id).isNotEmpty();
            }
        }
        assertThat(archive.contains(WalFileName.segment(1, 39, SEG))).isFalse();
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
        Path manifest = folder.resolve("backups").resolve(p5);
        byte[] sealed = Files.readAllBytes(manifest);
        sealed[sealed.length - 1] ^= 0x01;
        Files.write(manifest, sealed);
        List<String> before = objects();

        assertThatThrownBy(() -> new Expire(repository, DEFAULTS).run(false, Duration.ZERO))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.INTEGRITY))
                .hasMessageContaining("before deleting anything").hasMessageContaining(p5);
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
        assertThat(records.get(0).detail()).contains("delete 3 backups").contains(p0).contains("40 WAL files");
        assertThat(records.get(1).detail()).contains("deleted 3 backups").contains(p5).contains("3 chunks");
        assertThat(records.get(1).bytes()).isPositive();
        assertThat(repository.audit().read(0).intact()).isTrue();
    }

    @Test
    void overridesOnTheCommandLineChangeThePlan() {
        ExpireResult keepAll = new Expire(repository, new RetentionConfig(60, 7)).run(true, Duration.ZERO);
        ExpireResult longWindow = new Expire(repository, new RetentionConfig(30, 35)).run(true, Duration.ZERO);

        assertThat(keepAll.plan().delete()).isEmpty();
        assertThat(keepAll.plan().walKeepFrom()).isEqualTo(segment(2));
        assertThat(longWindow.plan().anchorId()).isEqualTo(p5);
        assertThat(ids(longWindow.plan().delete())).containsExactly(p0, l1);
        assertThat(longWindow.plan().walKeepFrom()).isEqualTo(segment(6));
    }

    // ---- helpers

    private void atDay(int day) {
        Instant target = DAY_0.plus(Duration.ofDays(day));
        clock.advance(Duration.between(clock.instant(), target));
    }

    private ChunkRef chunk(String seedText) {
        byte[] data = bytes(seedText, 8192);
        String id = repository.chunks().idOf(data, 0, data.length);
        return repository.chunks().put(id, data, 0, data.length, CODEC).ref();
    }

    private static byte[] bytes(String seedText, int size) {
        byte[] data = new byte[size];
        new Random(seedText.hashCode()).nextBytes(data);
        return data;
    }

    private void pushWal(long from, long to) {
        for (long s = from; s <= to; s++) {
            archive.push(WalFileName.segment(1, s, SEG), bytes("wal " + s, 4096));
        }
    }

    private String physical(String type, String parent, long startSegment, long stopSegment, ChunkRef... chunks) {
        Instant finished = clock.instant();
        Instant started = finished.minusSeconds(60);
        String id = BackupId.next(started);
        String startLsn = "0/" + Long.toHexString(startSegment * SEG + 0x28).toUpperCase();
        String stopLsn = "0/" + Long.toHexString(stopSegment * SEG + 0x100).toUpperCase();
        List<PhysicalInfo.FileEntry> files = new ArrayList<>();
        for (int i = 0; i < chunks.length; i++) {
            files.add(new PhysicalInfo.FileEntry("base/5/" + (16384 + i), chunks[i].size(), 0, 0600, "00000000", List.of(chunks[i])));
        }
        PhysicalInfo info = new PhysicalInfo(type, parent, 7000000000000000001L, 1, startLsn, stopLsn,
                WalFileName.segment(1, startSegment, SEG).name(), WalFileName.segment(1, stopSegment, SEG).name(), SEG,
                150000, true, "START WAL LOCATION: " + startLsn, "", List.of(), List.of(), files, List.of());
        repository.manifests().save(new BackupManifest(id, BackupManifest.KIND_PHYSICAL, started, finished, null, "15.0",
                "cellar", "localhost:5432", "postgres@db1", List.of(), List.of(), 0, 0, info));
        return id;
    }

    private String logical(ChunkRef chunk) {
        Instant finished = clock.instant();
        Instant started = finished.minusSeconds(30);
        String id = BackupId.next(started);
        BackupManifest.StreamEntry stream = new BackupManifest.StreamEntry("dump", "custom", chunk.size(), List.of(chunk));
        repository.manifests().save(new BackupManifest(id, BackupManifest.KIND_LOGICAL, started, finished, "cafe", "15.0",
                "pg_dump 15", "localhost:5432", "postgres@db1", List.of(stream), List.of(), 0, 0, null));
        return id;
    }

    private static String segment(long number) {
        return WalFileName.segment(1, number, SEG).name();
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
