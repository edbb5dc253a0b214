package dev.cellar.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.backup.LogicalBackup;
import dev.cellar.backup.LogicalBackupOptions;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.repo.CheapKdfRepositories;
import dev.cellar.repo.MutableClock;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.repo.WormPolicy;
import dev.cellar.storage.s3.CephRadosGw;
import dev.cellar.storage.s3.S3Storage;
import dev.cellar.storage.s3.S3Timeouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Cellar reports about a versioned bucket with Object Lock (Ceph radosgw, through the CLI)
 * is what happened there: expire and gc write delete markers and free nothing; an unlocked backup
 * another client deleted is found through the audit trail and repaired with the chunks a gc hid
 * since; a backup the audit trail says finished, gone in every version, fails verify; {@code repo sync --dry-run} gives the
 * real run's figures; {@code cloud lifecycle} refuses to expire WAL before WORM locks end and says
 * that full backups never get colder; the variables docs/s3-storage.md names configure it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VersionedBucketReportsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("versioned-bucket-it-passphrase");
    private static final String DB = "shop";

    private static CephRadosGw server;
    private static S3Client foreign;
    private static String bucket;
    private static LocalCluster cluster;
    private static Path home;
    private static Path credentials;
    private static CellarCli cli;
    private static String newestId;
    private static int chunkMarkersAfterExpire;

    @BeforeAll
    static void twoBackupsFortyDaysOldAndOneOfToday() throws Exception {
        server = CephRadosGw.shared();
        bucket = server.createLockedBucket();
        foreign = server.adminClient();
        home = TestFolders.create("cellar-versioned-rgw");
        cluster = LocalCluster.start(TestFolders.create("cellar-versioned-rgw-pg"));
        cluster.createDatabase(DB);
        cluster.execute(DB, """
                CREATE SCHEMA "Sales";
                CREATE TABLE "Sales"."Order" ("Id" int PRIMARY KEY, "Total" numeric(12,2), note text);
                INSERT INTO "Sales"."Order" SELECT g, g * 0.75, md5(g::text) FROM generate_series(1, 5000) g;
                """);
        credentials = home.resolve("aws-credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = " + server.accessKey() + "\naws_secret_access_key = "
                + server.secretKey() + "\n");

        MutableClock fortyDaysAgo = new MutableClock(Instant.now().minus(Duration.ofDays(40)));
        try (S3Storage storage = S3Storage.open(server.config(bucket, "aged/"), server.env(), S3Timeouts.DEFAULT, fortyDaysAgo)) {
            CheapKdfRepositories.init(storage, PASSPHRASE);
            Repository aged = Repository.open(storage, RepositorySecret.passphrase(PASSPHRASE.toCharArray()), fortyDaysAgo);
            backup(aged);
            fortyDaysAgo.advance(Duration.ofMinutes(5));
            cluster.execute(DB, "UPDATE \"Sales\".\"Order\" SET note = 'changed' WHERE \"Id\" % 10 = 0");
            backup(aged);
        }
        cli = new CellarCli(env(config("aged.yaml", "repository:\n  path: s3://" + bucket + "/aged/\n" + s3Section()
                + "retention:\n  full-days: 7\n  wal-days: 7\n")));
        newestId = JSON.readTree(ok(cli, "backup", "logical", "--json").stdout()).get("manifest").get("id").asText();
    }

    @AfterAll
    static void stop() {
        if (foreign != null) {
            foreign.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void expireWritesDeleteMarkersFreesNothingAndSaysSo() throws Exception {
        CellarCli.Run dryRun = ok(cli, "expire", "--dry-run");
        assertThat(dryRun.stdout()).contains("would become noncurrent (not freed)").contains("NoncurrentVersionExpiration");

        JsonNode result = JSON.readTree(ok(cli, "expire", "--json").stdout());

        assertThat(result.get("backupsDeleted")).hasSize(2);
        assertThat(result.get("deleteMarkersOnly").asBoolean()).isTrue();
        assertThat(result.get("bytesFreed").asLong()).as("a delete marker frees nothing").isZero();
        assertThat(result.get("chunkBytesFreed").asLong()).isZero();
        assertThat(result.get("bytesMadeNoncurrent").asLong()).isPositive();
        assertThat(deleteMarkersUnder("aged/backups/")).as("one delete marker per expired manifest").isEqualTo(2);
        assertThat(deleteMarkersUnder("aged/chunks/")).as("one per chunk gc deleted").isEqualTo(result.get("chunksDeleted").asInt())
                .isPositive();
        chunkMarkersAfterExpire = deleteMarkersUnder("aged/chunks/");
        CellarCli.Run verify = ok(cli, "verify", "--all");
        assertThat(verify.stdout()).as("expire's own delete markers hide nothing").doesNotContain("HIDDEN").doesNotContain("MISSING");
    }

    @Test
    @Order(2)
    void anUnlockedBackupHiddenByAForeignDeleteIsFoundByTheAuditTrailAndRepairedWithTheChunksGcHidSince() throws Exception {
        cluster.execute(DB, "UPDATE \"Sales\".\"Order\" SET note = 'second change' WHERE \"Id\" % 3 = 0");
        String hiddenId = JSON.readTree(ok(cli, "backup", "logical", "--json").stdout()).get("manifest").get("id").asText();
        foreign.deleteObject(b -> b.bucket(bucket).key("aged/backups/" + hiddenId));
        CellarCli.Run gc = ok(cli, "gc");
        assertThat(gc.stdout()).contains("noncurrent behind").contains("freed 0 B");
        assertThat(deleteMarkersUnder("aged/chunks/")).as("gc took the hidden backup's own chunks for unreferenced").isGreaterThan(
                chunkMarkersAfterExpire);

        CellarCli.Run verify = cli.run("verify", "--all");
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ErrorCode.VERIFY_FAILED.exitCode());
        assertThat(verify.stdout()).contains("HIDDEN   backups/" + hiddenId + ": hidden behind a delete marker")
                .contains("DAMAGED  " + hiddenId);

        CellarCli.Run repair = ok(cli, "verify", "--all", "--repair");
        assertThat(repair.stdout()).contains("RESTORED backups/" + hiddenId).contains("RESTORED chunks/");
        assertThat(ok(cli, "verify", "--all").stdout()).doesNotContain("HIDDEN").doesNotContain("DAMAGED");
        assertThat(ok(cli, "list").stdout()).contains(hiddenId);
    }

    @Test
    @Order(3)
    void aBackupTheAuditTrailSaysFinishedThatIsGoneInEveryVersionFailsVerify() {
        String key = "aged/backups/" + newestId;
        for (ObjectVersion version : foreign.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions()) {
            foreign.deleteObject(b -> b.bucket(bucket).key(key).versionId(version.versionId()));
        }

        CellarCli.Run verify = cli.run("verify", "--all");

        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ErrorCode.VERIFY_FAILED.exitCode());
        assertThat(verify.stdout()).contains("MISSING  backup " + newestId + ": the audit trail says it finished");
    }

    @Test
    @Order(4)
    void syncDryRunGivesTheFiguresTheRealRunCopies() throws Exception {
        Path local = home.resolve("local");
        CheapKdfRepositories.init(local, PASSPHRASE);
        CellarCli copies = new CellarCli(env(config("copies.yaml", "repositories:\n  local:\n    path: " + local + "\n"
                + "  cloud:\n    path: s3://" + bucket + "/copies/\n    endpoint: " + server.endpoint()
                + "\n    checksum-mode: when-required\n    credentials-file: " + credentials + "\n")));
        ok(copies, "repo", "sync");
        ok(copies, "backup", "logical", "--repo-name", "local");

        JsonNode dryRunResult = JSON.readTree(ok(copies, "repo", "sync", "--dry-run", "--json").stdout());
        JsonNode realResult = JSON.readTree(ok(copies, "repo", "sync", "--json").stdout());
        JsonNode dryRun = dryRunResult.get("targets").get(0);
        JsonNode real = realResult.get("targets").get(0);

        assertThat(real.get("chunks").get("bytes").asLong()).isPositive();
        for (String figure : new String[] {"chunks", "manifests", "wal"}) {
            assertThat(dryRun.get(figure)).as(figure + " of the dry run and of the real run").isEqualTo(real.get(figure));
        }
        // the records each copy lacks; the sync's own record is written after them into every copy
        assertThat(dryRunResult.get("audit").get("recordsCopied")).as("audit records copied, by copy")
                .isEqualTo(realResult.get("audit").get("recordsCopied"));
        assertThat(realResult.get("audit").get("recordsCopied").get("cloud").asInt()).isPositive();
        assertThat(dryRun.get("backupsCopied")).isEqualTo(real.get("backupsCopied")).hasSize(1);
    }

    @Test
    @Order(5)
    void lifecycleRefusesToExpireWalBeforeLocksEndAndSaysFullBackupsNeverGetColder() throws Exception {
        String repository = "repository:\n  path: s3://" + bucket + "/aged/\n" + s3Section();
        CellarCli longLocks = new CellarCli(env(config("locks-3000.yaml", repository
                + "worm:\n  mode: compliance\n  retain-days: 3000\nlifecycle:\n  expire-days: 2555\n")));
        CellarCli.Run refused = longLocks.run("cloud", "lifecycle", "--apply");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ErrorCode.CONFIG_INVALID.exitCode());
        assertThat(refused.stderr()).contains("lifecycle.expire-days (2555) is shorter than worm.retain-days (3000)");

        CellarCli fitting = new CellarCli(env(config("locks-2000.yaml", repository + "worm:\n  mode: compliance\n  retain-days: 2000\n")));
        CellarCli.Run print = ok(fitting, "cloud", "lifecycle", "--print");
        assertThat(JSON.readTree(print.stdout()).get("Rules")).as("stdout stays the JSON alone").hasSize(3);
        assertThat(print.stderr()).contains("only WAL (wal/) and monthly archives (archives/)")
                .contains("the full backups' data (chunks/").contains("never go to a colder class or expire");
    }

    @Test
    @Order(6)
    void theVariablesTheS3PageNamesConfigureARepositoryFromTheEnvironmentAlone() throws Exception {
        String page = Files.readString(Path.of("docs", "s3-storage.md"));
        Map<String, String> env = new HashMap<>(Map.of("CELLAR_PASSPHRASE", PASSPHRASE, "CELLAR_REPOSITORY_PATH", "s3://" + bucket + "/aged/"));
        String idVariable = firstNamedVariable(page, "access-key-id-env");
        String secretVariable = firstNamedVariable(page, "secret-access-key-env");
        env.put(documentedVariable(page, "s3.endpoint"), server.endpoint().toString());
        env.put(documentedVariable(page, "s3.checksum-mode"), "when-required");
        env.put(documentedVariable(page, "s3.access-key-id-env"), idVariable);
        env.put(documentedVariable(page, "s3.secret-access-key-env"), secretVariable);
        env.put(idVariable, server.accessKey());
        env.put(secretVariable, server.secretKey());

        CellarCli.Run list = new CellarCli(env).run("list");

        assertThat(list.exitCode()).as(list.toString()).isZero();
    }

    private static int deleteMarkersUnder(String prefix) {
        return foreign.listObjectVersions(b -> b.bucket(bucket).prefix(prefix)).deleteMarkers().size();
    }

    /** The variable in the row of {@code key} in the page's table of settings. */
    private static String documentedVariable(String page, String key) {
        Matcher row = Pattern.compile("^\\| `" + Pattern.quote(key) + "` \\| `([A-Z0-9_]+)` \\|", Pattern.MULTILINE).matcher(page);
        assertThat(row.find()).as("docs/s3-storage.md names the variable of " + key).isTrue();
        return row.group(1);
    }

    /** The variable the page's first example names with {@code setting: NAME}. */
    private static String firstNamedVariable(String page, String setting) {
        Matcher named = Pattern.compile(setting + ":\\s+([A-Za-z_][A-Za-z0-9_]*)").matcher(page);
        assertThat(named.find()).as("docs/s3-storage.md has an example of " + setting).isTrue();
        return named.group(1);
    }

    private static String s3Section() {
        return "s3:\n  endpoint: " + server.endpoint() + "\n  checksum-mode: when-required\n  max-attempts: 3\n"
                + "  credentials-file: " + credentials + "\n";
    }

    private static Path config(String name, String yaml) throws Exception {
        Path file = home.resolve(name);
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private static Map<String, String> env(Path config) {
        return Map.of(
                "CELLAR_CONFIG", config.toString(),
                "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", DB,
                "CELLAR_BACKUP_WORK_DIR", home.resolve("work").toString());
    }

    private static void backup(Repository repository) {
        new LogicalBackup(repository, TestDatabases.spec(cluster, DB),
                new LogicalBackupOptions(2, 2, null, Duration.ofSeconds(30), WormPolicy.off()), ProgressListener.NONE).run();
    }

    private static CellarCli.Run ok(CellarCli cli, String... args) {
        CellarCli.Run run = cli.run(args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }
}
