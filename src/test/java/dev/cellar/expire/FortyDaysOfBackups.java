package dev.cellar.expire;

import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.MutableClock;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.Repository;
import dev.cellar.repo.TestRepositories;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A repository with 40 days of history, written through the real chunk store, manifest store
 * and WAL archive:
 * day 0 full P0 (WAL 2..3), day 1 logical L1, day 5 incremental P5 of P0 (WAL 6..7), day 20
 * logical L20, day 32 full P32 (WAL 40..41), day 38 incremental P38 of P32 (WAL 50..51); WAL
 * segments 1..55 of timeline 1 archived as the days pass, a backup-history file in segment 2 and
 * the history file of timeline 2. Every physical backup shares one chunk and has one of its own;
 * each logical backup has one chunk. The clock ends on day 40.
 */
public final class FortyDaysOfBackups {
    public static final int SEG = 16 * 1024 * 1024;
    private static final ZstdCodec CODEC = new ZstdCodec(3);

    public final MutableClock clock;
    public final Repository repository;
    public final WalArchive archive;
    public final ChunkRef shared;
    public final ChunkRef onlyP0;
    public final ChunkRef onlyP5;
    public final ChunkRef onlyL1;
    public final ChunkRef onlyL20;
    public final ChunkRef onlyP32;
    public final ChunkRef onlyP38;
    public final String p0;
    public final String l1;
    public final String p5;
    public final String l20;
    public final String p32;
    public final String p38;
    private final Instant day0;

    public FortyDaysOfBackups(Path folder, Instant day0) {
        this.day0 = day0;
        clock = new MutableClock(day0);
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
        archive.push(WalFileName.parse(segment(2) + ".00000028.backup"), bytes("backup history", 100));
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

    public static String segment(long number) {
        return WalFileName.segment(1, number, SEG).name();
    }

    private void atDay(int day) {
        clock.advance(Duration.between(clock.instant(), day0.plus(Duration.ofDays(day))));
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
                segment(startSegment), segment(stopSegment), SEG,
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
}
