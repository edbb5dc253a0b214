package dev.cellar.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.TableChecksums;
import dev.cellar.repo.CheapKdfRepositories;
import dev.cellar.storage.s3.CephRadosGw;
import dev.cellar.storage.s3.S3Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WORM against a server that enforces it: Ceph radosgw (the suite's one-node cluster) with a
 * bucket created with Object Lock, Cellar through its real command line, a COMPLIANCE-locked
 * logical backup of a database with quoted names, a partitioned table and row-level security.
 * The backup survives expire (also with this host's clock four days ahead, which Cellar must
 * judge by the server's Date), a DELETE and a PUT of its manifest by another client with the
 * same credentials; verify names what those hid (HIDDEN), --repair brings the locked version
 * back, and the restore is exact.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WormRadosGwIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("worm-on-radosgw-it-passphrase");
    private static final String PREFIX = "cellar/ledger/";
    private static final String DB = "ledger";
    /** The host clock four days fast: past the three-day lock and the one-day retention, by this host's reckoning only. */
    private static final String FOUR_DAYS_AHEAD = "-D" + "cellar.clock-offset=P4D";

    private static CephRadosGw server;
    private static S3Client foreign;
    private static String bucket;
    private static LocalCluster cluster;
    private static CellarCli cli;
    private static String backupId;
    private static Map<String, String> source;

    @BeforeAll
    static void aComplianceLockedBackupInALockedBucket() throws Exception {
        server = CephRadosGw.shared();
        bucket = server.createLockedBucket();
        foreign = server.adminClient();
        Path home = TestFolders.create("cellar-worm-rgw");
        cluster = LocalCluster.start(TestFolders.create("cellar-worm-rgw-pg"));
        cluster.createDatabase(DB);
        cluster.execute(DB, """
                CREATE SCHEMA "Accounts";
                CREATE TABLE "Accounts"."Entry Lines" ("Id" bigint PRIMARY KEY, "Amount" numeric(14,2) NOT NULL, memo text);
                INSERT INTO "Accounts"."Entry Lines" SELECT g, g * 1.25, 'line ' || g FROM generate_series(1, 6000) g;
                CREATE TABLE "Accounts".postings (posted date NOT NULL, entry bigint, amount numeric) PARTITION BY RANGE (posted);
                CREATE TABLE "Accounts".postings_2025 PARTITION OF "Accounts".postings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE TABLE "Accounts".postings_2026 PARTITION OF "Accounts".postings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                INSERT INTO "Accounts".postings SELECT date '2025-06-01' + (g % 400), g, g / 7.0 FROM generate_series(1, 8000) g;
                ALTER TABLE "Accounts"."Entry Lines" ENABLE ROW LEVEL SECURITY;
                CREATE POLICY own_lines ON "Accounts"."Entry Lines" USING (memo LIKE 'line %');
                """);
        source = checksums(DB);

        Path credentials = home.resolve("aws-credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = " + server.accessKey() + "\naws_secret_access_key = "
                + server.secretKey() + "\n");
        Path config = home.resolve("cellar.yaml");
        Files.writeString(config, "repository:\n  path: s3://" + bucket + "/" + PREFIX + "\n"
                + "s3:\n  endpoint: " + server.endpoint() + "\n  checksum-mode: when-required\n  max-attempts: 3\n"
                + "  credentials-file: " + credentials + "\n"
                + "worm:\n  mode: compliance\n  retain-days: 3\n  kinds: [logical]\n"
                + "retention:\n  full-days: 1\n  wal-days: 1\n", StandardCharsets.UTF_8);
        try (S3Storage storage = S3Storage.open(server.config(bucket, PREFIX), server.env())) {
            CheapKdfRepositories.init(storage, PASSPHRASE);
        }
        Map<String, String> env = new HashMap<>(Map.of(
                "CELLAR_CONFIG", config.toString(),
                "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", DB,
                "CELLAR_BACKUP_WORK_DIR", home.resolve("work").toString()));
        cli = new CellarCli(env);
        JsonNode manifest = JSON.readTree(ok("backup", "logical", "--json").stdout()).get("manifest");
        backupId = manifest.get("id").asText();
        assertThat(manifest.get("retention").get("mode").asText()).isEqualTo("COMPLIANCE");
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
    void expireKeepsTheLockedBackupAndRefusesWhileThisHostsClockIsFourDaysAhead() throws Exception {
        CellarCli.Run expire = ok("expire", "--json");
        assertThat(JSON.readTree(expire.stdout()).get("backupsDeleted")).isEmpty();

        CellarCli fastClock = cli.with("JAVA_TOOL_OPTIONS", FOUR_DAYS_AHEAD);
        CellarCli.Run refused = fastClock.run("expire");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ErrorCode.CLOCK_SKEW.exitCode());
        assertThat(refused.stderr()).contains("expire refused").containsPattern("is (4 d 0 h|3 d 23 h)")
                .contains("ahead of the clock of s3://" + bucket).contains("nothing was deleted");
        CellarCli.Run gc = fastClock.run("gc");
        assertThat(gc.exitCode()).as(gc.toString()).isEqualTo(ErrorCode.CLOCK_SKEW.exitCode());

        CellarCli.Run list = fastClock.run("list", "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout()).contains(backupId);
        assertThat(list.stderr()).contains("warning: this host's clock").contains("ahead of the clock of");
        CellarCli.Run dryRun = fastClock.run("expire", "--dry-run", "--json");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(JSON.readTree(dryRun.stdout()).get("plan").get("delete").findValuesAsText("id"))
                .as("judged by the server's clock, the backup is a day old at most and locked").doesNotContain(backupId);
        assertThat(foreign.listObjectVersions(b -> b.bucket(bucket).prefix(manifestKey())).deleteMarkers())
                .as("no delete marker was written over the manifest").isEmpty();
        assertThat(ok("verify", "--all").stdout()).contains("WORM     1 locked backup(s)");
    }

    @Test
    @Order(2)
    void aForeignDeleteHidesTheManifestVerifyNamesItAndRepairMakesTheLockedVersionCurrent() {
        foreign.deleteObject(b -> b.bucket(bucket).key(manifestKey()));

        CellarCli.Run verify = cli.run("verify", "--all");
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ErrorCode.VERIFY_FAILED.exitCode());
        assertThat(verify.stdout()).contains("HIDDEN   backups/" + backupId + ": hidden behind a delete marker")
                .contains("compliance lock until").contains("cellar verify --repair");

        CellarCli.Run repair = ok("verify", "--all", "--repair");
        assertThat(repair.stdout()).contains("RESTORED backups/" + backupId).doesNotContain("HIDDEN");
        assertThat(ok("list", "--json").stdout()).contains(backupId);
        ObjectLockRetention lock = foreign.getObjectRetention(b -> b.bucket(bucket).key(manifestKey())).retention();
        assertThat(lock.modeAsString()).as("the manifest made current again keeps its lock").isEqualTo("COMPLIANCE");
        assertThat(lock.retainUntilDate()).isAfter(Instant.now().plusSeconds(2 * 86400));
        assertThat(ok("verify", "--all").stdout()).contains("verified: 1 backup(s)");
    }

    @Test
    @Order(3)
    void aForeignOverwriteIsReadPastRestoresExactlyAndIsRepaired() throws Exception {
        foreign.putObject(b -> b.bucket(bucket).key(manifestKey()), RequestBody.fromString("{\"not\": \"a manifest\"}"));

        ok("restore", "logical", backupId, "--target-db", "ledger_restored");
        assertThat(checksums("ledger_restored")).isEqualTo(source);

        CellarCli.Run verify = cli.run("verify", backupId);
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ErrorCode.VERIFY_FAILED.exitCode());
        assertThat(verify.stdout()).contains("HIDDEN   backups/" + backupId + ": overwritten by an object that does not authenticate");
        ok("verify", "--all", "--repair");
        assertThat(ok("verify", "--all").stdout()).contains("verified: 1 backup(s)").doesNotContain("HIDDEN");
        assertThat(manifestVersions()).as("the locked original, its first repair, the foreign object and the second repair").hasSize(4);
    }

    @Test
    @Order(4)
    void anArchiveWrittenToTheLockedBucketIsLockedAndItsVersionsCannotBeDeleted() throws Exception {
        cluster.execute(DB, "CREATE TABLE invoices (id bigint PRIMARY KEY, issued_at timestamptz NOT NULL, amount numeric(12,2));"
                + " INSERT INTO invoices SELECT g, timestamptz '2026-09-20 12:00+00' + g * interval '1 day', g FROM generate_series(1, 30) g;");
        Path policy = TestFolders.create("cellar-worm-rgw-policy").resolve("ledger-policy.yaml");
        Files.writeString(policy, "database: ledger\ncategories:\n  financial:\n    retention: 7 years\n    tables:\n"
                + "      invoices:\n        dated-by: issued_at\n", StandardCharsets.UTF_8);
        JsonNode created = JSON.readTree(ok("archive", "create", "--month", "2026-10", "--policy", policy.toString(), "--json").stdout());
        assertThat(created.get("locked").asBoolean()).isTrue();
        assertThat(created.get("tables").get(0).get("selected").asInt()).as("October 1st to 20th").isEqualTo(20);

        for (String object : List.of("manifest.json", "tables/public.invoices.csv.gz")) {
            String key = PREFIX + "archives/ledger/monthly/2026-10/" + object;
            ObjectLockRetention lock = foreign.getObjectRetention(b -> b.bucket(bucket).key(key)).retention();
            assertThat(lock.modeAsString()).isEqualTo("COMPLIANCE");
            assertThat(lock.retainUntilDate()).isEqualTo(Instant.parse("2033-11-01T00:00:00Z"));
            String version = foreign.headObject(b -> b.bucket(bucket).key(key)).versionId();
            assertThatThrownBy(() -> foreign.deleteObject(b -> b.bucket(bucket).key(key).versionId(version)))
                    .as("radosgw refuses to delete a COMPLIANCE-locked version of " + object)
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
        assertThat(ok("archive", "verify", "--month", "2026-10").stdout()).contains("intact");
    }

    private static String manifestKey() {
        return PREFIX + "backups/" + backupId;
    }

    private static List<ObjectVersion> manifestVersions() {
        return foreign.listObjectVersions(b -> b.bucket(bucket).prefix(manifestKey())).versions();
    }

    private static Map<String, String> checksums(String database) throws Exception {
        try (Connection c = cluster.connect(database)) {
            return TableChecksums.of(c);
        }
    }

    private static CellarCli.Run ok(String... args) {
        CellarCli.Run run = cli.run(args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }
}
