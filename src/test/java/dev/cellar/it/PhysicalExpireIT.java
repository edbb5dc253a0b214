package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.RetentionConfig;
import dev.cellar.expire.Expire;
import dev.cellar.expire.ExpireResult;
import dev.cellar.pg.TableChecksums;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Expiry on real physical backups and real archived WAL: three weeks later, with 10 days of
 * backups and a 7-day window, only the newest backup is left; WAL older than it goes and WAL
 * from its start on stays; the dry run's plan is the one executed; and point-in-time recovery
 * from what is left still reaches the latest commit.
 */
class PhysicalExpireIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ArchivedCluster archived;

    @BeforeAll
    static void start() {
        archived = ArchivedCluster.start(Map.of());
        archived.cluster().createDatabase("app");
        archived.cluster().execute("app", "CREATE TABLE t (id bigserial PRIMARY KEY, v text)");
    }

    @AfterAll
    static void stop() {
        if (archived != null) {
            archived.close();
        }
    }

    @Test
    void expireKeepsWhatTheNewestBackupAndTheWindowNeedAndRecoveryStillWorks() throws Exception {
        String first = backup("full");
        write(2000);
        String second = backup("incr");
        write(2000);
        String third = backup("full");
        write(2000);
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));
        Map<String, String> latest = checksums(archived.cluster().port());

        Clock threeWeeksLater = Clock.fixed(java.time.Instant.now().plus(Duration.ofDays(21)), java.time.ZoneOffset.UTC);
        Repository repository = Repository.open(new LocalStorage(archived.home().resolve("repo")),
                RepositorySecret.passphrase(ArchivedCluster.PASSPHRASE.toCharArray()), threeWeeksLater);
        WalArchive wal = archived.walArchive(repository);
        List<WalFileName> walBefore = wal.list();
        RetentionConfig retention = new RetentionConfig(10, 7);

        ExpireResult dryRun = new Expire(repository, retention).run(true, Duration.ZERO);
        assertThat(repository.manifests().ids()).containsExactly(first, second, third);
        assertThat(wal.list()).isEqualTo(walBefore);
        ExpireResult real = new Expire(repository, retention).run(false, Duration.ZERO);
        assertThat(new String(RepositoryJson.write(real.plan()))).isEqualTo(new String(RepositoryJson.write(dryRun.plan())));

        assertThat(repository.manifests().ids()).containsExactly(third);
        assertThat(real.backupsDeleted()).containsExactly(first, second);
        BackupManifest kept = repository.manifests().load(third);
        long segmentSize = kept.physical().walSegmentSize();
        long keepFrom = WalFileName.parse(kept.physical().startWal()).segmentNumber(segmentSize);
        List<WalFileName> walAfter = wal.list();
        assertThat(walAfter).filteredOn(f -> f.kind() != WalFileName.Kind.HISTORY)
                .allMatch(f -> f.segmentNumber(segmentSize) >= keepFrom, "no WAL older than the kept backup's start")
                .isNotEmpty();
        assertThat(walBefore).filteredOn(f -> f.kind() == WalFileName.Kind.SEGMENT && f.segmentNumber(segmentSize) >= keepFrom)
                .allMatch(walAfter::contains, "all WAL from the kept backup's start on");
        assertThat(real.walFilesDeleted()).isEqualTo(walBefore.size() - walAfter.size()).isPositive();
        assertThat(real.chunksDeleted()).isPositive();

        // what is left still recovers to the latest commit, and verify finds no gap
        archived.cellarOk("verify", "--all");
        Path dir = archived.restoreDir("after-expire");
        int port = ArchivedCluster.freePort();
        var result = JSON.readTree(archived.cellarOk("restore", "pitr", "-D", dir.toString(), "--start", "--port", Integer.toString(port),
                "--archive-mode", "off", "--json").stdout());
        assertThat(result.path("backupId").asText()).isEqualTo(third);
        assertThat(checksums(port)).isEqualTo(latest);
        archived.stopRestored(dir);
    }

    private static String backup(String type) throws Exception {
        return JSON.readTree(archived.cellarOk("backup", "physical", "--type", type, "--json").stdout()).path("id").asText();
    }

    private static void write(int rows) {
        archived.cluster().execute("app", "INSERT INTO t (v) SELECT md5(g::text) FROM generate_series(1, " + rows + ") g");
    }

    private static Map<String, String> checksums(int port) throws Exception {
        try (Connection c = ArchivedCluster.connect(port, "app")) {
            return TableChecksums.of(c);
        }
    }
}
