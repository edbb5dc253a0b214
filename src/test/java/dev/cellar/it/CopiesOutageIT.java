package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.TableChecksums;
import dev.cellar.storage.s3.CephRadosGw;
import dev.cellar.storage.s3.FaultInjectingProxy;
import dev.cellar.storage.s3.TestS3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Two copies of one repository, a folder and a bucket of Ceph's radosgw, through the real CLI,
 * while the bucket's server dies. The bucket is reached through {@link FaultInjectingProxy}, which
 * plays the server being killed at a random request of a command (the request in flight is carried
 * out but never answered, every later one finds its connection reset) and brings it back after
 * the command: cheaper than restarting the gateway, and the moment can be anywhere in the command.
 * After each outage the test runs exactly what the commands' HINT lines say, then demands one
 * intact audit trail, both copies holding the same backups, and exact restores from each copy.
 * The random moments come from a seed printed with every failure ({@code -Dcellar.outage.seed} replays one).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CopiesOutageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "ShopFloor";
    private static final Pattern HINTED_COMMAND = Pattern.compile("^HINT: .*?'cellar ([^']+)'", Pattern.MULTILINE);
    private static final String OLD = "-Dcellar.clock-offset=-P3D";

    private static CephRadosGw rgw;
    private static FaultInjectingProxy proxy;
    private static S3Client admin;
    private static String bucket;
    private static LocalCluster cluster;
    private static Path home;
    private static CellarCli cli;
    private static long seed;
    private static Random random;
    private static int nextOrder = 100_000;

    @BeforeAll
    static void radosgwClusterAndProxy() throws IOException {
        rgw = CephRadosGw.shared();
        admin = rgw.adminClient();
        bucket = rgw.createBucket();
        proxy = FaultInjectingProxy.start(rgw.endpoint());
        seed = Long.getLong("cellar.outage.seed", System.nanoTime());
        random = new Random(seed);
        home = TestFolders.create("cellar-copies-outage-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-copies-outage-it-pg"));
        cluster.createDatabase(DB);
        cluster.execute(DB, """
                CREATE SCHEMA "Sales";
                CREATE TABLE "Sales"."Customer" (id int PRIMARY KEY, "fullName" text NOT NULL, email text UNIQUE);
                CREATE TABLE "Sales"."Order" (id bigint, placed date NOT NULL, "customerId" int NOT NULL REFERENCES "Sales"."Customer",
                    total numeric(12,2) NOT NULL, note text, PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
                CREATE TABLE "Sales"."Order 2025" PARTITION OF "Sales"."Order" FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE TABLE "Sales"."Order 2026" PARTITION OF "Sales"."Order" FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                CREATE TABLE public.settings (name text PRIMARY KEY, value jsonb);
                INSERT INTO "Sales"."Customer" SELECT g, 'Customer ' || g, 'c' || g || '@example.org' FROM generate_series(1, 5000) g;
                INSERT INTO "Sales"."Order" SELECT g, DATE '2025-01-01' + (g % 700), 1 + g % 5000, (g % 9000) / 100.0,
                    md5(g::text) || md5((g * 31)::text) FROM generate_series(1, 30000) g;
                INSERT INTO public.settings VALUES ('opening', '{"mon": "08:00", "sun": null}');
                """);
        Map<String, String> env = new HashMap<>(rgw.env());
        env.putAll(Map.of(
                "CELLAR_PASSPHRASE", "copies under outages",
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", DB,
                "CELLAR_BACKUP_WORK_DIR", home.resolve("work").toString()));
        cli = new CellarCli(env);
    }

    @AfterAll
    static void stopEverything() {
        if (proxy != null) {
            proxy.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A configuration with the folder and the bucket (through the proxy) as copies, the one named first first. */
    private static Path config(String repository, String first) throws IOException {
        String cloud = "  cloud:\n    path: s3://" + bucket + "/" + repository + "/\n    endpoint: " + proxy.endpoint() + "\n"
                + "    checksum-mode: when-required\n    max-attempts: 2\n    retention-full-days: 1\n"
                + "    access-key-id-env: " + TestS3Server.ACCESS_KEY_ENV + "\n    secret-access-key-env: " + TestS3Server.SECRET_KEY_ENV + "\n";
        String local = "  local:\n    path: " + home.resolve(repository) + "\n    retention-full-days: 1\n";
        Path file = home.resolve(repository + "-" + first + "-first.yaml");
        Files.writeString(file, "backup:\n  chunk-avg-kib: 64\nrepositories:\n" + (first.equals("cloud") ? cloud + local : local + cloud),
                StandardCharsets.UTF_8);
        return file;
    }

    @Test
    @Order(1)
    void aBucketFirstKilledMidBackupIsCaughtUpByTheSyncTheHintNamesAndTheTrailStaysOne() throws Exception {
        Path config = config("first-backup", "cloud");
        ok(config, "init");
        proxy.reset();
        proxy.dieAfter(8 + random.nextInt(20));

        CellarCli.Run backup = run(config, "backup", "logical", "--json");

        proxy.revive();
        assertThat(backup.exitCode()).as(describe(backup)).isZero();
        assertThat(proxy.applied()).as("the server died during the backup").anyMatch(a -> a.startsWith("DEAD"));
        assertThat(hints(backup)).as(describe(backup)).containsExactly("repo sync");
        String id = JSON.readTree(backup.stdout()).get("manifest").get("id").asText();
        JsonNode cloud = copy(JSON.readTree(ok(config, "list", "--json").stdout()), "cloud");
        assertThat(cloud.get("missingBackups")).as("the bucket is not up to date: it lacks the backup").hasSize(1);

        ok(config, "repo", "sync");

        assertThat(bucketKeys("first-backup/backups/")).containsExactly("first-backup/backups/" + id);
        ok(config, "verify", "--all");
        JsonNode audit = JSON.readTree(ok(config, "audit", "--json").stdout());
        assertThat(audit.get("problems")).isEmpty();
        assertThat(records(audit, "backup.logical", id)).extracting(r -> r.get("result").asText()).containsExactly("started", "ok");
        JsonNode copies = JSON.readTree(ok(config, "list", "--json").stdout()).get("copies");
        assertThat(copies).allSatisfy(c -> assertThat(c.get("missingBackups")).isEmpty())
                .allSatisfy(c -> assertThat(c.get("missingAuditRecords").asInt()).isZero());
        ok(config, "restore", "logical", id, "--target-db", "first_from_cloud", "--repo-name", "cloud");
        assertThat(checksums("first_from_cloud")).isEqualTo(checksums(DB));
    }

    @Test
    @Order(2)
    void recordsWrittenApartUnderTheSameNumberAreJoinedByRepoSyncWhichRecordsTheRepair() throws Exception {
        Path config = config("first-backup", "cloud");
        change();
        ok(config, "backup", "logical", "--repo-name", "cloud");
        ok(config, "verify", "--repo-name", "local");
        // the next command writes to both copies, one of which holds each number differently
        run(config, "verify", "--all");

        CellarCli.Run sync = ok(config, "repo", "sync");

        assertThat(sync.stdout()).contains("joined 2 branches written apart");
        JsonNode audit = JSON.readTree(ok(config, "audit", "--json").stdout());
        assertThat(audit.get("problems")).isEmpty();
        assertThat(audit.get("unjoined")).isEmpty();
        assertThat(records(audit, "audit.join", "")).singleElement().satisfies(join ->
                assertThat(join.get("detail").asText()).contains("from local").contains("from cloud"));
        ok(config, "verify", "--all");
        assertThat(JSON.readTree(ok(config, "list", "--json").stdout()).get("copies"))
                .allSatisfy(c -> assertThat(c.get("missingAuditRecords").asInt()).isZero());
    }

    @Test
    @Order(3)
    void theBucketFirstDiesDuringABackupAnExpireAndASyncAndTheHintsMendEverything() throws Exception {
        outage(config("outage", "cloud"), true);
    }

    @Test
    @Order(4)
    void theFolderFirstAndTheBucketDiesDuringABackupAnExpireAndASyncAndTheHintsMendEverything() throws Exception {
        outage(config("outage", "local"), false);
    }

    /**
     * Two old backups, then the server dies at a random moment of a backup, of an expire (which
     * deletes the old ones) and of a sync (of a backup the folder alone took); then the hints.
     */
    private static void outage(Path config, boolean initialise) throws Exception {
        if (initialise) {
            ok(config, "init");
        }
        List<String> backups = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            change();
            int before = proxy.requestsSeen();
            backups.add(backupId(okAs(OLD, config, "backup", "logical", "--json")));
            if (i == 1) {
                backupRequests = proxy.requestsSeen() - before;
            }
        }
        List<CellarCli.Run> outages = new ArrayList<>();

        change();
        outages.add(killedAt(backupRequests / 2, config, "backup", "logical", "--json"));
        assertThat(outages.get(0).exitCode()).as(describe(outages.get(0))).isZero();
        backups.add(backupId(outages.get(0)));

        outages.add(killedAt(requestsOf(config, "expire", "--dry-run"), config, "expire"));
        assertThat(outages.get(1).exitCode()).as(describe(outages.get(1))).isIn(0, ErrorCode.PARTIAL.exitCode());

        change();
        backups.add(backupId(ok(config, "backup", "logical", "--json", "--repo-name", "local")));
        outages.add(killedAt(requestsOf(config, "repo", "sync", "--dry-run"), config, "repo", "sync"));
        // a bucket dead before its first answer leaves a sync of two copies nothing to do: 20, and a hint to run it again
        assertThat(outages.get(2).exitCode()).as(describe(outages.get(2)))
                .isIn(0, ErrorCode.PARTIAL.exitCode(), ErrorCode.STORAGE_UNAVAILABLE.exitCode());

        followHints(config, outages);

        ok(config, "verify", "--all");
        JsonNode audit = JSON.readTree(ok(config, "audit", "--json").stdout());
        assertThat(audit.get("problems")).as(audit.toPrettyString()).isEmpty();
        assertThat(audit.get("unjoined")).isEmpty();
        for (String id : backups) {
            assertThat(records(audit, "backup.logical", id)).as("backup %s, seed %d", id, seed)
                    .extracting(r -> r.get("result").asText()).containsExactly("started", "ok");
        }
        assertThat(records(audit, "expire", "")).as("each expire once, with its outcome").isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("result").asText()).isIn("started", "ok", "failed"));
        JsonNode listing = JSON.readTree(ok(config, "list", "--json").stdout());
        assertThat(listing.get("copies")).allSatisfy(c -> {
            assertThat(c.get("missingBackups")).isEmpty();
            assertThat(c.get("missingAuditRecords").asInt()).isZero();
        });
        assertThat(listing.get("backups")).extracting(b -> b.get("id").asText()).as("the old backups expired")
                .doesNotContain(backups.get(0), backups.get(1)).contains(backups.get(2), backups.get(3));
        assertThat(ids(bucketKeys("outage/backups/"))).isEqualTo(ids(folderKeys(home.resolve("outage").resolve("backups"))));
        assertRestoresFromEachCopy(config);
    }

    private static int backupRequests;

    /** Runs the command with the server dying after a random number of requests below {@code requests}, then revives it. */
    private static CellarCli.Run killedAt(int requests, Path config, String... args) {
        int after = random.nextInt(Math.max(1, requests));
        proxy.reset();
        proxy.dieAfter(after);
        CellarCli.Run run = run(config, args);
        boolean died = proxy.dead();
        proxy.revive();
        assertThat(died).as("the server died during 'cellar %s' (after %d requests, seed %d)", String.join(" ", args), after, seed).isTrue();
        return run;
    }

    /** How many requests the command makes to the bucket when nothing goes wrong. */
    private static int requestsOf(Path config, String... args) {
        int before = proxy.requestsSeen();
        ok(config, args);
        return proxy.requestsSeen() - before;
    }

    /** Runs each command the runs' HINT lines name, in the order first named, then those their own hints name. */
    private static void followHints(Path config, List<CellarCli.Run> runs) {
        Set<String> pending = new LinkedHashSet<>();
        runs.forEach(r -> pending.addAll(hints(r)));
        assertThat(pending).as("every outage says how to mend it (seed %d)", seed).isNotEmpty();
        for (int wave = 0; wave < 4 && !pending.isEmpty(); wave++) {
            List<CellarCli.Run> done = new ArrayList<>();
            for (String command : pending) {
                done.add(ok(config, command.split(" ")));
            }
            pending.clear();
            done.forEach(r -> pending.addAll(hints(r)));
        }
        assertThat(pending).as("the hints' commands leave nothing to do").isEmpty();
    }

    private static List<String> hints(CellarCli.Run run) {
        List<String> commands = new ArrayList<>();
        Matcher m = HINTED_COMMAND.matcher(run.stderr());
        while (m.find()) {
            if (!commands.contains(m.group(1))) {
                commands.add(m.group(1));
            }
        }
        return commands;
    }

    private static void assertRestoresFromEachCopy(Path config) throws SQLException {
        Map<String, String> source = checksums(DB);
        for (String copy : List.of("local", "cloud")) {
            String target = "restored_" + copy + "_" + Math.abs(random.nextInt());
            ok(config, "restore", "logical", "latest", "--target-db", target, "--repo-name", copy);
            assertThat(checksums(target)).as("restore from %s", copy).isEqualTo(source);
        }
    }

    private static void change() {
        int from = nextOrder;
        nextOrder += 500;
        cluster.execute(DB, "INSERT INTO \"Sales\".\"Order\" SELECT g, DATE '2026-03-01' + (g % 200), 1 + g % 5000, 12.50, 'added ' || g "
                + "FROM generate_series(" + from + ", " + (nextOrder - 1) + ") g; UPDATE public.settings SET value = jsonb_set(value, "
                + "'{changes}', to_jsonb(" + nextOrder + ")) WHERE name = 'opening'");
    }

    private static List<JsonNode> records(JsonNode audit, String operation, String detailPart) {
        List<JsonNode> found = new ArrayList<>();
        audit.get("records").forEach(r -> {
            if (r.get("operation").asText().equals(operation) && r.get("detail").asText().contains(detailPart)) {
                found.add(r);
            }
        });
        return found;
    }

    private static JsonNode copy(JsonNode listing, String name) {
        for (JsonNode c : listing.get("copies")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no copy " + name + " in " + listing);
    }

    private static String backupId(CellarCli.Run backup) throws IOException {
        return JSON.readTree(backup.stdout()).get("manifest").get("id").asText();
    }

    private static Set<String> ids(List<String> keys) {
        Set<String> ids = new TreeSet<>();
        keys.forEach(k -> ids.add(k.substring(k.lastIndexOf('/') + 1)));
        return ids;
    }

    private static List<String> bucketKeys(String prefix) {
        return admin.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    private static List<String> folderKeys(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(Path::toString).toList();
        }
    }

    private static CellarCli.Run run(Path config, String... args) {
        long started = System.nanoTime();
        CellarCli.Run run = cli.run(Stream.concat(Stream.of(args), Stream.of("--config", config.toString())).toArray(String[]::new));
        System.out.printf("cellar %s (%s): exit %d in %d ms%s%n", String.join(" ", args), config.getFileName(), run.exitCode(),
                (System.nanoTime() - started) / 1_000_000, hints(run).isEmpty() ? "" : ", hints " + hints(run));
        return run;
    }

    private static CellarCli.Run ok(Path config, String... args) {
        CellarCli.Run run = run(config, args);
        assertThat(run.exitCode()).as(describe(run) + "\ncellar " + String.join(" ", args)).isZero();
        return run;
    }

    /** As {@link #ok}, with this process's clock moved ({@code -Dcellar.clock-offset}): a backup taken days ago. */
    private static CellarCli.Run okAs(String clock, Path config, String... args) {
        long started = System.nanoTime();
        CellarCli.Run run = cli.with("JAVA_TOOL_OPTIONS", clock)
                .run(Stream.concat(Stream.of(args), Stream.of("--config", config.toString())).toArray(String[]::new));
        System.out.printf("cellar %s (%s, %s): exit %d in %d ms%n", String.join(" ", args), config.getFileName(), clock, run.exitCode(),
                (System.nanoTime() - started) / 1_000_000);
        assertThat(run.exitCode()).as(describe(run)).isZero();
        return run;
    }

    private static String describe(CellarCli.Run run) {
        return run + "\n(seed " + seed + "; proxy: " + proxy.applied().stream().filter(a -> !a.startsWith("DEAD")).toList()
                + ", " + proxy.applied().stream().filter(a -> a.startsWith("DEAD")).count() + " requests refused)";
    }

    private static Map<String, String> checksums(String database) throws SQLException {
        try (Connection c = cluster.connect(database)) {
            return TableChecksums.of(c);
        }
    }
}
