package dev.cellar.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.backup.BackupResult;
import dev.cellar.backup.LogicalBackup;
import dev.cellar.backup.LogicalBackupOptions;
import dev.cellar.config.WormConfig;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.repo.CheapKdfRepositories;
import dev.cellar.repo.MutableClock;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.repo.WormPolicy;
import dev.cellar.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WORM through the real command line on a real PostgreSQL: a compliance-locked logical backup
 * cannot be deleted through Cellar. Two backups are taken 40 days "ago" (in-process, on a clock
 * set back, the only way to age a real backup), one locked for 60 days and one not, then one
 * now through the CLI under worm.mode: compliance. {@code cellar expire} deletes the old unlocked
 * one, keeps the locked one, says why, and exits 0.
 */
class WormCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("worm-passphrase");
    private static Path workDir;
    private static LocalCluster cluster;
    private static CellarCli cli;
    private static String lockedId;
    private static String unlockedId;
    private static String newestId;

    @BeforeAll
    static void lockedAndUnlockedBackupsFortyDaysOldAndANewOne() throws Exception {
        workDir = TestFolders.create("cellar-worm-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-worm-it-pg"));
        cluster.createDatabase("ledger");
        cluster.execute("ledger", "CREATE TABLE entries (id int PRIMARY KEY, amount numeric, memo text); "
                + "INSERT INTO entries SELECT g, g * 1.5, md5(g::text) FROM generate_series(1, 20000) g");
        Path repo = workDir.resolve("repo");
        CheapKdfRepositories.init(repo, PASSPHRASE);
        MutableClock fortyDaysAgo = new MutableClock(Instant.now().minus(Duration.ofDays(40)));
        Repository aged = Repository.open(new LocalStorage(repo, fortyDaysAgo), RepositorySecret.passphrase(PASSPHRASE.toCharArray()),
                fortyDaysAgo);
        WormPolicy compliance60 = new WormPolicy(new WormConfig("COMPLIANCE", 60, List.of("logical"), List.of()));
        lockedId = backup(aged, compliance60).manifest().id();
        fortyDaysAgo.advance(Duration.ofMinutes(5));
        unlockedId = backup(aged, WormPolicy.off()).manifest().id();

        Path config = workDir.resolve("cellar.yaml");
        Files.writeString(config, "worm:\n  mode: compliance\n  retain-days: 60\n  kinds: [logical]\nretention:\n  full-days: 7\n");
        cli = new CellarCli(Map.of(
                "CELLAR_CONFIG", config.toString(),
                "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_REPOSITORY_PATH", repo.toString(),
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", "ledger",
                "CELLAR_BACKUP_WORK_DIR", workDir.resolve("work").toString()));
        CellarCli.Run newest = cli.run("backup", "logical", "--json");
        assertThat(newest.exitCode()).as(newest.toString()).isZero();
        JsonNode manifest = JSON.readTree(newest.stdout()).get("manifest");
        newestId = manifest.get("id").asText();
        assertThat(manifest.get("retention").get("mode").asText()).as("the CLI backup is locked by worm.mode").isEqualTo("COMPLIANCE");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void expireLeavesTheLockedBackupSaysSoAndExitsZero() throws Exception {
        CellarCli.Run dry = cli.run("expire", "--dry-run", "--json");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        JsonNode plan = JSON.readTree(dry.stdout()).get("plan");
        assertThat(plan.get("delete").findValuesAsText("id")).containsExactly(unlockedId);
        JsonNode kept = keptEntry(plan, lockedId);
        assertThat(kept.get("reason").asText()).startsWith("locked until ").contains("compliance WORM retention");
        assertThat(kept.get("lockedUntil").asText()).isNotEmpty();

        CellarCli.Run run = cli.run("expire");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("KEEP").contains(lockedId).contains("locked until")
                .contains("under WORM retention").contains("kept, not deleted").contains("deleted 1 backups");
        CellarCli.Run list = cli.run("list", "--json");
        assertThat(list.stdout()).contains(lockedId).contains(newestId).doesNotContain(unlockedId);
        assertThat(Files.exists(workDir.resolve("repo/backups/" + lockedId))).isTrue();

        CellarCli.Run verify = cli.run("verify", lockedId, newestId);
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.stdout()).contains("WORM     2 locked backup(s)");
    }

    @Test
    void lifecycleRulesAreRefusedForALocalCopyAndPrintedForABucket() {
        CellarCli.Run run = cli.run("cloud", "lifecycle", "--print");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.CONFIG_INVALID.exitCode());
        assertThat(run.stderr()).contains("is a local folder").contains("lifecycle rules are for S3 buckets");

        CellarCli.Run print = cli.run("cloud", "lifecycle", "--print", "--repo", "s3://backups-bucket/prod");
        assertThat(print.exitCode()).as(print.toString()).isZero();
        assertThat(print.stdout()).contains("\"Prefix\" : \"prod/wal/\"").contains("\"StorageClass\" : \"DEEP_ARCHIVE\"");
    }

    private static JsonNode keptEntry(JsonNode plan, String id) {
        for (JsonNode b : plan.get("keep")) {
            if (b.get("id").asText().equals(id)) {
                return b;
            }
        }
        throw new AssertionError(id + " is not kept: " + plan);
    }

    private static BackupResult backup(Repository repository, WormPolicy worm) {
        return new LogicalBackup(repository, TestDatabases.spec(cluster, "ledger"),
                new LogicalBackupOptions(3, 2, null, Duration.ofSeconds(30), worm), ProgressListener.NONE).run();
    }
}
