package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.TableChecksums;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One repository in two local copies ({@code local} first, {@code cloud} second), through the
 * real CLI: both receive the same objects, a restore survives damage in the first, verify
 * --repair mends it, and repo sync fills a third copy added later. The steps build on each
 * other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultipleRepositoriesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHOP = "shop";

    private static LocalCluster cluster;
    private static Path home;
    private static Path local;
    private static Path cloud;
    private static Path third;
    private static Path config;
    private static CellarCli cli;
    private static String backupId;

    @BeforeAll
    static void clusterAndTwoCopies() throws IOException {
        home = TestFolders.create("cellar-mirror-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-mirror-it-pg"));
        cluster.createDatabase(SHOP);
        cluster.execute(SHOP, "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);"
                + "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, note text);"
                + "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 20000) g;"
                + "INSERT INTO orders SELECT g, 1 + g % 20000, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 60000) g;");
        local = home.resolve("local");
        cloud = home.resolve("cloud");
        third = home.resolve("third");
        config = home.resolve("cellar.yaml");
        writeConfig(false);
        cli = new CellarCli(Map.of(
                "CELLAR_CONFIG", config.toString(),
                "CELLAR_PASSPHRASE", "mirror passphrase",
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", SHOP,
                "CELLAR_BACKUP_WORK_DIR", home.resolve("work").toString()));
    }

    private static void writeConfig(boolean withThird) throws IOException {
        Files.writeString(config, "backup:\n  chunk-avg-kib: 64\n"
                + "repositories:\n  local:\n    path: " + local + "\n  cloud:\n    path: " + cloud + "\n"
                + (withThird ? "  third:\n    path: " + third + "\n" : ""), StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void initAndABackupLandInBothCopiesAsTheSameFiles() throws IOException {
        ok("init");
        ok("backup", "logical");
        backupId = JSON.readTree(ok("list", "--json").stdout()).get("backups").get(0).get("id").asText();

        Map<String, byte[]> inLocal = objects(local);
        Map<String, byte[]> inCloud = objects(cloud);
        assertThat(inLocal.keySet()).contains("cellar.json", "backups/" + backupId)
                .anyMatch(k -> k.startsWith("keys/")).anyMatch(k -> k.startsWith("chunks/"));
        assertThat(inCloud.keySet()).isEqualTo(inLocal.keySet());
        inLocal.forEach((key, bytes) -> assertThat(inCloud.get(key)).as(key).isEqualTo(bytes));
    }

    @Test
    @Order(2)
    void aRestoreSurvivesAMissingChunkAndADamagedManifestInTheFirstCopy() throws Exception {
        String chunk = chunkKeys(local).findFirst().orElseThrow();
        Files.delete(local.resolve(chunk));
        flipByte(local.resolve("backups/" + backupId));

        CellarCli.Run restore = ok("restore", "logical", "latest", "--target-db", "shop_from_cloud");

        assertThat(restore.stderr()).contains("backups/" + backupId + " damaged in local, read from cloud")
                .contains(chunk + " missing in local, read from cloud");
        assertThat(checksums("shop_from_cloud")).isEqualTo(checksums(SHOP));
    }

    @Test
    @Order(3)
    void verifyReportsTheDamageInTheFirstCopyAndRepairMendsIt() throws Exception {
        CellarCli.Run verify = cli.run("verify", "--json");
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(13);
        JsonNode copies = JSON.readTree(verify.stdout()).get("copies");
        assertThat(copies.get(0).get("name").asText()).isEqualTo("local");
        assertThat(copies.get(0).get("backups").get("backups").get(0).get("ok").asBoolean()).isFalse();
        assertThat(copies.get(1).get("name").asText()).isEqualTo("cloud");
        assertThat(copies.get(1).get("backups").get("backups").get(0).get("ok").asBoolean()).isTrue();

        CellarCli.Run repair = ok("verify", "--repair");
        assertThat(repair.stdout()).contains("REPAIRED backups/" + backupId + " from cloud").contains("REPAIRED chunks/");

        ok("verify", "--all");
        assertThat(objects(local).keySet()).containsAll(objects(cloud).keySet().stream().filter(k -> !k.startsWith("audit/")).toList());
        ok("restore", "logical", "latest", "--target-db", "shop_from_local", "--repo-name", "local");
        assertThat(checksums("shop_from_local")).isEqualTo(checksums(SHOP));
    }

    @Test
    @Order(4)
    void repoSyncFillsACopyAddedLaterAndASecondSyncCopiesNothing() throws Exception {
        writeConfig(true);
        JsonNode lag = JSON.readTree(ok("list", "--json").stdout()).get("copies");
        assertThat(lag.get(2).get("name").asText()).isEqualTo("third");
        assertThat(lag.get(2).get("missingBackups").get(0).asText()).isEqualTo(backupId);

        JsonNode first = JSON.readTree(ok("repo", "sync", "--json").stdout());
        JsonNode toThird = first.get("targets").get(1);
        assertThat(toThird.get("to").asText()).isEqualTo("third");
        assertThat(toThird.get("initialised").asBoolean()).isTrue();
        assertThat(toThird.get("chunks").get("objects").asLong()).isEqualTo(chunkKeys(local).count());
        assertThat(toThird.get("backupsCopied").get(0).asText()).isEqualTo(backupId);

        JsonNode second = JSON.readTree(ok("repo", "sync", "--json").stdout());
        for (JsonNode target : second.get("targets")) {
            assertThat(target.get("chunks").get("objects").asLong()).isZero();
            assertThat(target.get("manifests").get("objects").asLong()).isZero();
            assertThat(target.get("wal").get("objects").asLong()).isZero();
            assertThat(target.get("initialised").asBoolean()).isFalse();
        }
        ok("restore", "logical", "latest", "--target-db", "shop_from_third", "--repo-name", "third");
        assertThat(checksums("shop_from_third")).isEqualTo(checksums(SHOP));
        assertThat(JSON.readTree(ok("list", "--json").stdout()).get("copies").get(2).get("missingBackups")).isEmpty();
    }

    private static CellarCli.Run ok(String... args) {
        CellarCli.Run run = cli.run(args);
        assertThat(run.exitCode()).as("cellar " + String.join(" ", args) + "\n" + run).isZero();
        return run;
    }

    /** Every object of a copy by key, without the transient lock and temp files. */
    private static Map<String, byte[]> objects(Path root) throws IOException {
        Map<String, byte[]> objects = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = root.relativize(file).toString();
                if (!key.startsWith("locks/") && !key.startsWith("tmp/")) {
                    objects.put(key, Files.readAllBytes(file));
                }
            }
        }
        return objects;
    }

    private static Stream<String> chunkKeys(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("chunks"))) {
            return files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).sorted().toList().stream();
        }
    }

    private static void flipByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
    }

    private static Map<String, String> checksums(String database) throws SQLException {
        try (Connection c = cluster.connect(database)) {
            return TableChecksums.of(c);
        }
    }
}
