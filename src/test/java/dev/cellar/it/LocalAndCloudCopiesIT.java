package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.TableChecksums;
import dev.cellar.storage.s3.S3ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The seed's "Local + Cloud": one copy in a folder, one in a bucket of a real S3 API server
 * (S3Proxy on loopback), driven through the real CLI. Damage on either side is survived by a
 * restore and mended by {@code verify --repair}; a cloud that cannot be reached leaves the
 * backup whole in the folder and the cloud behind until {@code repo sync}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalAndCloudCopiesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHOP = "shop";

    private static S3ProxyServer s3;
    private static S3Client admin;
    private static String bucket;
    private static LocalCluster cluster;
    private static Path home;
    private static Path local;
    private static Path config;
    private static CellarCli cli;

    @BeforeAll
    static void clusterBucketAndConfig() throws IOException {
        s3 = S3ProxyServer.start();
        admin = s3.adminClient();
        bucket = s3.createBucket();
        home = TestFolders.create("cellar-local-cloud-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-local-cloud-it-pg"));
        cluster.createDatabase(SHOP);
        cluster.execute(SHOP, "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);"
                + "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, amount numeric(10,2), note text);"
                + "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 20000) g;"
                + "INSERT INTO orders SELECT g, 1 + g % 20000, (g % 9000) / 100.0, md5(g::text) FROM generate_series(1, 60000) g;");
        local = home.resolve("local");
        config = home.resolve("cellar.yaml");
        Files.writeString(config, configYaml(s3.endpoint().toString(), ""), StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>(s3.env());
        env.putAll(Map.of(
                "CELLAR_PASSPHRASE", "local and cloud",
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", SHOP,
                "CELLAR_BACKUP_WORK_DIR", home.resolve("work").toString()));
        cli = new CellarCli(env);
    }

    private static String configYaml(String endpoint, String extra) {
        return "backup:\n  chunk-avg-kib: 64\n"
                + "repositories:\n"
                + "  local:\n    path: " + local + "\n    retention-full-days: 7\n"
                + "  cloud:\n    path: s3://" + bucket + "/cellar/prod/\n    endpoint: " + endpoint + "\n"
                + "    checksum-mode: when-required\n    max-attempts: 2\n    retention-full-days: 2555\n"
                + "    access-key-id-env: CELLAR_TEST_S3_ACCESS_KEY\n    secret-access-key-env: CELLAR_TEST_S3_SECRET_KEY\n"
                + extra;
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1)
    void aBackupLandsInTheFolderAndInTheBucket() {
        ok("init");
        ok("backup", "logical");

        List<String> cloudChunks = cloudKeys("cellar/prod/chunks/");
        assertThat(cloudChunks).isNotEmpty().hasSameSizeAs(localKeys("chunks"));
        assertThat(cloudKeys("cellar/prod/backups/")).hasSize(1);
        assertThat(cloudKeys("cellar/prod/")).contains("cellar/prod/cellar.json");
    }

    @Test
    @Order(2)
    void damageOnEitherSideIsSurvivedByRestoreAndMendedByRepair() throws Exception {
        String backupId = onlyBackupId();
        String cloudChunk = cloudKeys("cellar/prod/chunks/").get(0);
        admin.deleteObject(b -> b.bucket(bucket).key(cloudChunk));
        Path localManifest = local.resolve("backups").resolve(backupId);
        byte[] manifest = Files.readAllBytes(localManifest);
        manifest[manifest.length / 2] ^= 0x10;
        Files.write(localManifest, manifest);

        ok("restore", "logical", "latest", "--target-db", "shop_restored");
        assertThat(checksums("shop_restored")).isEqualTo(checksums(SHOP));

        CellarCli.Run verify = cli.run(withConfig("verify", "--json"));
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(13);
        JsonNode copies = JSON.readTree(verify.stdout()).get("copies");
        assertThat(copies.get(0).get("name").asText()).isEqualTo("local");
        assertThat(copies.get(0).get("backups").get("backups").get(0).get("ok").asBoolean()).isFalse();
        assertThat(copies.get(1).get("name").asText()).isEqualTo("cloud");
        assertThat(copies.get(1).get("backups").get("backups").get(0).get("ok").asBoolean()).isFalse();

        CellarCli.Run repair = ok("verify", "--repair");
        assertThat(repair.stdout()).contains("REPAIRED backups/" + backupId + " from cloud")
                .contains("REPAIRED " + cloudChunk.substring("cellar/prod/".length()) + " from local");
        ok("verify", "--all");
        assertThat(cloudKeys("cellar/prod/chunks/")).contains(cloudChunk);
        ok("restore", "logical", "latest", "--target-db", "shop_from_cloud", "--repo-name", "cloud");
        assertThat(checksums("shop_from_cloud")).isEqualTo(checksums(SHOP));
    }

    @Test
    @Order(3)
    void anUnreachableCloudLeavesTheBackupWholeLocallyAndSyncCatchesUp() throws Exception {
        Path downConfig = home.resolve("cloud-down.yaml");
        Files.writeString(downConfig, configYaml("http://127.0.0.1:" + closedPort(), ""), StandardCharsets.UTF_8);
        cluster.execute(SHOP, "INSERT INTO orders SELECT g, 1 + g % 20000, 1.00, 'while the cloud was down' FROM generate_series(60001, 61000) g");

        CellarCli.Run backup = ok("backup", "logical", "--config", downConfig.toString(), "--json");
        assertThat(backup.stderr()).contains("cloud").contains("cellar repo sync");
        assertThat(JSON.readTree(backup.stdout()).get("copiesBehind")).as("scripts see it too")
                .containsExactly(JSON.getNodeFactory().textNode("cloud"));

        JsonNode copies = JSON.readTree(ok("list", "--json").stdout()).get("copies");
        assertThat(copies.get(1).get("name").asText()).isEqualTo("cloud");
        assertThat(copies.get(1).get("missingBackups")).hasSize(1);

        ok("repo", "sync");
        assertThat(JSON.readTree(ok("list", "--json").stdout()).get("copies").get(1).get("missingBackups")).isEmpty();
        ok("restore", "logical", "latest", "--target-db", "shop_synced", "--repo-name", "cloud");
        assertThat(checksums("shop_synced")).isEqualTo(checksums(SHOP));
    }

    @Test
    @Order(4)
    void expireWorksOnEachCopyWithItsOwnRetention() throws Exception {
        JsonNode copies = JSON.readTree(ok("expire", "--dry-run", "--json").stdout()).get("copies");

        assertThat(copies).hasSize(2);
        assertThat(copies.get(0).get("copy").asText()).isEqualTo("local");
        assertThat(copies.get(1).get("copy").asText()).isEqualTo("cloud");
        assertThat(copies.get(1).get("location").asText()).isEqualTo("s3://" + bucket + "/cellar/prod/");
    }

    @Test
    @Order(5)
    void aFirstCopyThatCannotBeReachedIsAskedOnceThenTheRestoreReadsTheNext() throws Exception {
        Path cloudFirst = home.resolve("cloud-first-down.yaml");
        Files.writeString(cloudFirst, "backup:\n  chunk-avg-kib: 64\nrepositories:\n"
                + "  cloud:\n    path: s3://" + bucket + "/cellar/prod/\n    endpoint: http://127.0.0.1:" + closedPort() + "\n"
                + "    checksum-mode: when-required\n    max-attempts: 4\n"
                + "    access-key-id-env: CELLAR_TEST_S3_ACCESS_KEY\n    secret-access-key-env: CELLAR_TEST_S3_SECRET_KEY\n"
                + "  local:\n    path: " + local + "\n", StandardCharsets.UTF_8);

        CellarCli.Run restore = cli.run("restore", "logical", "latest", "--target-db", "shop_cloud_down", "--config", cloudFirst.toString());

        assertThat(restore.exitCode()).as("done, with a copy missing: partial\n" + restore).isEqualTo(ErrorCode.PARTIAL.exitCode());
        assertThat(checksums("shop_cloud_down")).isEqualTo(checksums(SHOP));
        assertThat(restore.stderr()).contains("copy 'cloud'").contains("cannot be reached")
                .as("the dead copy is not asked again for each of the restore's chunks")
                .doesNotContain("further reads from another copy are not shown");
        assertThat(restore.stderr().lines().filter(line -> line.contains("cannot be reached")).count()).isEqualTo(1);

        // and a backup goes on into the copy that can be reached; the dead one is behind until a sync
        cluster.execute(SHOP, "INSERT INTO orders SELECT g, 1 + g % 20000, 2.00, 'while the first copy was down' FROM generate_series(61001, 61500) g");
        CellarCli.Run backup = ok("backup", "logical", "--json", "--config", cloudFirst.toString());
        assertThat(JSON.readTree(backup.stdout()).get("copiesBehind")).containsExactly(JSON.getNodeFactory().textNode("cloud"));
        assertThat(JSON.readTree(ok("list", "--json").stdout()).get("copies").get(1).get("missingBackups")).hasSize(1);
        ok("repo", "sync");
        ok("restore", "logical", "latest", "--target-db", "shop_after_outage", "--repo-name", "cloud");
        assertThat(checksums("shop_after_outage")).isEqualTo(checksums(SHOP));
    }

    @Test
    @Order(6)
    void anUnreachableCopyIsReportedOnceWhileListShowVerifyAuditAndRestoreGoOnWithTheOther() throws Exception {
        Path cloudDown = home.resolve("cloud-unreachable.yaml");
        Files.writeString(cloudDown, configYaml("http://127.0.0.1:" + closedPort(), ""), StandardCharsets.UTF_8);
        JsonNode everything = JSON.readTree(ok("list", "--json").stdout());

        CellarCli.Run list = partial("list", "--json", "--config", cloudDown.toString());
        JsonNode listed = JSON.readTree(list.stdout());
        assertThat(listed.get("backups")).isEqualTo(everything.get("backups"));
        assertThat(listed.get("copies").get(0).get("reachable").asBoolean()).isTrue();
        assertThat(listed.get("copies").get(1).get("reachable").asBoolean()).isFalse();
        assertThat(listed.get("copiesUnreachable")).containsExactly(JSON.getNodeFactory().textNode("cloud"));
        assertThat(partial("list", "--config", cloudDown.toString()).stdout()).containsPattern("cloud +- +- +- +UNREACHABLE");

        String latest = everything.get("backups").get(everything.get("backups").size() - 1).get("id").asText();
        assertThat(partial("show", "latest", "--config", cloudDown.toString()).stdout()).contains(latest);
        assertThat(partial("verify", "--all", "--config", cloudDown.toString()).stdout())
                .contains("UNREACHABLE: not verified").contains("verified 1 of 2 copies; NOT REACHED: cloud");
        assertThat(partial("audit", "--config", cloudDown.toString()).stdout()).contains("audit chain intact");
        partial("restore", "logical", "latest", "--target-db", "shop_one_copy", "--config", cloudDown.toString());
        assertThat(checksums("shop_one_copy")).isEqualTo(checksums(SHOP));
    }

    /** Runs a command with one copy unreachable: exit 22 (PARTIAL), and the copy reported once on stderr. */
    private static CellarCli.Run partial(String... args) {
        CellarCli.Run run = cli.run(args);
        assertThat(run.exitCode()).as("cellar " + String.join(" ", args) + "\n" + run).isEqualTo(ErrorCode.PARTIAL.exitCode());
        assertThat(run.stderr().lines().filter(line -> line.contains("cannot be reached")).count()).as(run.stderr()).isEqualTo(1);
        return run;
    }

    @Test
    @Order(7)
    void wormOnABucketWithoutObjectLockIsRefusedAtInit() throws IOException {
        Path wormConfig = home.resolve("worm.yaml");
        local = home.resolve("local-worm");
        Files.writeString(wormConfig, configYaml(s3.endpoint().toString(), "worm:\n  mode: compliance\n")
                .replace("/cellar/prod/", "/cellar/worm/"), StandardCharsets.UTF_8);

        CellarCli.Run init = cli.run("init", "--config", wormConfig.toString());

        assertThat(init.exitCode()).as(init.toString()).isEqualTo(3);
        assertThat(init.stderr()).contains("cloud").contains("Object Lock");
        assertThat(cloudKeys("cellar/worm/")).as("nothing written to the refused bucket").isEmpty();
    }

    private static String onlyBackupId() throws IOException {
        return JSON.readTree(ok("list", "--json").stdout()).get("backups").get(0).get("id").asText();
    }

    private static CellarCli.Run ok(String... args) {
        CellarCli.Run run = cli.run(withConfig(args));
        assertThat(run.exitCode()).as("cellar " + String.join(" ", args) + "\n" + run).isZero();
        return run;
    }

    private static String[] withConfig(String... args) {
        if (List.of(args).contains("--config")) {
            return args;
        }
        return Stream.concat(Stream.of(args), Stream.of("--config", config.toString())).toArray(String[]::new);
    }

    private static List<String> cloudKeys(String prefix) {
        return admin.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    private static List<String> localKeys(String folder) {
        try (Stream<Path> files = Files.walk(local.resolve(folder))) {
            return files.filter(Files::isRegularFile).map(Path::toString).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, String> checksums(String database) throws SQLException {
        try (Connection c = cluster.connect(database)) {
            return TableChecksums.of(c);
        }
    }
}
