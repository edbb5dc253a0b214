package dev.cellar.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.RetentionConfig;
import dev.cellar.config.S3Config;
import dev.cellar.expire.FortyDaysOfBackups;
import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.storage.LocalStorage;
import dev.cellar.storage.MirroredStorage;
import dev.cellar.storage.Storage;
import dev.cellar.storage.s3.S3Storage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopiesSyncTest {
    private static final Instant DAY0 = Instant.parse("2026-03-01T02:00:00Z");
    private static final RetentionConfig KEEP_ALL = new RetentionConfig(3650, 3650);

    @TempDir
    Path dir;

    private FortyDaysOfBackups history;
    private LocalStorage local;
    private LocalStorage cloud;
    private final List<MirroredStorage.Warning> warnings = new ArrayList<>();

    @BeforeEach
    void fortyDaysInLocalAndAnEmptyCloud() {
        history = new FortyDaysOfBackups(dir.resolve("local"), DAY0);
        local = (LocalStorage) history.repository.storage();
        cloud = new LocalStorage(dir.resolve("cloud"));
    }

    private SyncResult sync(List<CopiesSync.Copy> copies, boolean dryRun) {
        return new CopiesSync(history.repository, copies, warnings::add, 2).sync(List.of(), List.of(), dryRun, Duration.ZERO,
                ProgressListener.NONE);
    }

    private List<CopiesSync.Copy> cloudFirst() {
        return List.of(new CopiesSync.Copy("cloud", cloud, KEEP_ALL), new CopiesSync.Copy("local", local, KEEP_ALL));
    }

    @Test
    void withNoArgumentsEachCopyReceivesWhatAnotherHoldsWhicheverIsListedFirst() {
        SyncResult first = sync(cloudFirst(), false);

        assertThat(first.targets()).extracting(SyncResult.CopyResult::from, SyncResult.CopyResult::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cloud", "local"), org.assertj.core.groups.Tuple.tuple("local", "cloud"));
        assertThat(first.targets().get(1).backupsCopied()).hasSize(6);
        String onlyInCloud = logicalBackupIn(history.repository.onCopy(cloud));

        SyncResult second = sync(cloudFirst(), false);

        assertThat(second.targets().get(0).backupsCopied()).containsExactly(onlyInCloud);
        assertThat(local.list("backups/")).isEqualTo(cloud.list("backups/")).hasSize(7);
        assertThat(local.list("audit/")).isEqualTo(cloud.list("audit/")).hasSize(2);
        for (Storage copy : List.of(local, cloud)) {
            AuditLog.AuditReport trail = history.repository.audit().on(copy).read(0);
            assertThat(trail.problems()).isEmpty();
            assertThat(trail.records()).extracting(AuditRecord::operation).containsExactly("repo sync", "repo sync");
            assertThat(trail.records().get(1).detail()).contains("cloud -> local: 1 backup(s)");
        }
        assertThat(sync(cloudFirst(), true).targets()).allSatisfy(t -> assertThat(t.copiedNothing()).isTrue());
    }

    @Test
    void auditRecordsWrittenInOneCopyAloneReachTheOthersAndRecordsWrittenApartAreJoined() {
        sync(cloudFirst(), false);
        history.repository.audit().on(local).append("backup.logical", "cafe", AuditRecord.OK, "cloud was down", 0, null);
        history.repository.audit().on(cloud).append("expire", "cloud", AuditRecord.OK, "--repo-name cloud", 0, null);

        SyncResult dryRun = sync(cloudFirst(), true);
        assertThat(dryRun.audit().recordsCopied()).containsOnly(Map.entry("cloud", 2), Map.entry("local", 2));
        assertThat(dryRun.audit().joinedBranches()).isEqualTo(2);
        assertThat(dryRun.audit().joinRecord()).isNull();

        SyncResult result = sync(cloudFirst(), false);

        assertThat(result.audit().joinRecord()).isEqualTo(3);
        assertThat(local.list("audit/")).isEqualTo(cloud.list("audit/"));
        for (Storage copy : List.of(local, cloud)) {
            AuditLog.AuditReport trail = history.repository.audit().on(copy).read(0);
            assertThat(trail.problems()).isEmpty();
            assertThat(trail.unjoined()).isEmpty();
            assertThat(trail.records()).extracting(AuditRecord::operation).containsExactlyInAnyOrder("repo sync", "backup.logical",
                    "expire", AuditRecord.JOIN, "repo sync");
        }
    }

    @Test
    void aCopyThatCannotBeReachedIsLeftOutAndTheOthersAreSynced() throws Exception {
        List<CopiesSync.Copy> copies = List.of(new CopiesSync.Copy("local", local, KEEP_ALL),
                new CopiesSync.Copy("dead", unreachableBucket(), KEEP_ALL), new CopiesSync.Copy("cloud", cloud, KEEP_ALL));

        SyncResult result = sync(copies, false);

        assertThat(result.unreachable()).containsExactly("dead");
        assertThat(result.targets()).extracting(SyncResult.CopyResult::to).containsExactly("cloud", "local");
        assertThat(cloud.list("backups/")).isEqualTo(local.list("backups/")).hasSize(6);
        AuditRecord record = history.repository.audit().on(cloud).read(0).records().get(0);
        assertThat(record.result()).isEqualTo(AuditRecord.FAILED);
        assertThat(record.detail()).contains("not reached: dead");
    }

    /** A logical backup written to one copy alone, as {@code backup --repo-name} does. */
    private static String logicalBackupIn(Repository copy) {
        byte[] data = "written to one copy alone".getBytes(StandardCharsets.UTF_8);
        ChunkRef chunk = copy.chunks().put(copy.chunks().idOf(data, 0, data.length), data, 0, data.length, new ZstdCodec(3)).ref();
        Instant finished = copy.clock().instant();
        String id = BackupId.next(finished.minusSeconds(30));
        copy.manifests().save(new BackupManifest(id, BackupManifest.KIND_LOGICAL, finished.minusSeconds(30), finished, "cafe", "15.0",
                "pg_dump 15", "localhost:5432", "postgres@db1", List.of(new BackupManifest.StreamEntry("dump", "custom", chunk.size(),
                List.of(chunk))), List.of(), 0, 0, null));
        return id;
    }

    /** A real S3 client aimed at a loopback port nobody listens on, one attempt per request. */
    private static Storage unreachableBucket() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        S3Config config = new S3Config("cellar", "", URI.create("http://127.0.0.1:" + port), "us-east-1", true,
                S3Config.ChecksumMode.WHEN_REQUIRED, null, "TEST_KEY_ID", "TEST_SECRET", null, null, "STANDARD", "STANDARD", 1, 8, 1);
        return S3Storage.open(config, Map.of("TEST_KEY_ID", "id", "TEST_SECRET", "secret"));
    }
}
