package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.pg.TableChecksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A repository handed over read-only (here {@code chmod -R a-w}, with Cellar run as its
 * non-root owner, which the permissions then bind): every command that only reads works from
 * it, says once that it reads without a lock and cannot add to the audit trail, and changes not
 * one file or folder of it (sizes, modification times and modes compared before and after).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadOnlyRepositoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHOP = "shop";
    private static final String SHOP_SCHEMA_AND_DATA = """
            CREATE SCHEMA "Sales";
            CREATE TABLE "Sales"."Customers" (id int PRIMARY KEY, "Full Name" text NOT NULL);
            CREATE TABLE "Sales".orders (id int, customer_id int REFERENCES "Sales"."Customers", placed date NOT NULL,
                                         PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
            CREATE TABLE "Sales".orders_2025 PARTITION OF "Sales".orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE "Sales".orders_2026 PARTITION OF "Sales".orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            INSERT INTO "Sales"."Customers" SELECT g, 'customer ' || g FROM generate_series(1, 2000) g;
            INSERT INTO "Sales".orders SELECT g, 1 + g % 2000, DATE '2025-01-01' + g % 650 FROM generate_series(1, 6000) g;
            """;

    private ArchivedCluster archived;
    private Path repository;
    private Map<String, String> handedOver;
    private Map<String, String> shopChecksums;

    @BeforeAll
    void backUpThenHandOverReadOnly() throws Exception {
        archived = ArchivedCluster.start(Map.of());
        archived.cluster().createDatabase(SHOP);
        archived.cluster().execute(SHOP, SHOP_SCHEMA_AND_DATA);
        archived.cellarOk("backup", "logical", "-d", SHOP);
        archived.cellarOk("backup", "physical");
        // a row only WAL replay brings back: point-in-time recovery must read the archive too
        archived.cluster().execute(SHOP, "INSERT INTO \"Sales\".\"Customers\" VALUES (9001, 'after the physical backup')");
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));
        try (Connection c = archived.cluster().connect(SHOP)) {
            shopChecksums = TableChecksums.of(c);
        }
        repository = archived.home().resolve("repo");
        removeWritePermission(repository);
        handedOver = snapshot(repository);
    }

    @AfterAll
    void stop() {
        if (archived != null) {
            archived.close();
        }
    }

    @Test
    void listShowAndAuditReadItAsItIs() throws IOException {
        CellarCli.Run list = archived.cellarOk("list");
        assertThat(list.stdout()).contains(SHOP).contains("physical full").contains("(cluster)").doesNotContain("null");

        CellarCli.Run wal = archived.cellarOk("list", "--wal");
        CellarCli.Run show = archived.cellarOk("show", "latest", "-d", SHOP);
        CellarCli.Run audit = archived.cellarOk("audit");

        assertThat(wal.stdout()).contains("timeline 1");
        assertThat(show.stdout()).contains("database    " + SHOP).contains("Sales.Customers");
        assertThat(audit.stdout()).contains("audit chain intact").contains("backup.logical").contains("backup.physical");
        assertNothingWritten();
    }

    @Test
    void verifyOfEveryKindPassesAndSaysOnceThatItsRecordIsNotInTheTrail() throws IOException {
        CellarCli.Run latest = archived.cellarOk("verify", "-d", SHOP);
        CellarCli.Run walOnly = archived.cellarOk("verify", "--wal");
        CellarCli.Run all = archived.cellarOk("verify", "--all", "--json");

        assertThat(latest.stdout()).contains("verified: 1 backup(s)");
        assertThat(walOnly.stdout()).contains("WAL archive verified");
        JsonNode report = JSON.readTree(all.stdout());
        assertThat(report.get("backups").get("backups")).hasSize(2).allMatch(backup -> backup.get("ok").asBoolean());
        assertThat(report.get("wal").get("damaged")).isEmpty();
        assertThat(report.get("readOnly").get("location").asText()).isEqualTo(repository.toString());
        assertThat(report.get("readOnly").get("auditNotRecorded").get(0).get("operation").asText()).isEqualTo("verify");
        assertThat(report.get("readOnly").get("auditNotRecorded").get(0).get("target").asText()).isEqualTo("all");
        assertSaidOnce(all.stderr(), "refuses writes");
        assertSaidOnce(latest.stderr(), "refuses writes");
        assertNothingWritten();
    }

    @Test
    void aLogicalRestoreReadsWithoutALockAndBringsTheDatabaseBack() throws Exception {
        CellarCli.Run restore = archived.cellarOk("restore", "logical", "latest", "-d", SHOP, "--target-db", "shop_from_read_only", "--json");

        JsonNode result = JSON.readTree(restore.stdout());
        assertThat(result.get("readOnly").get("readWithoutLock").asBoolean()).isTrue();
        assertThat(result.get("readOnly").get("auditNotRecorded").get(0).get("operation").asText()).isEqualTo("restore.logical");
        assertSaidOnce(restore.stderr(), "without a lock");
        try (Connection c = archived.cluster().connect("shop_from_read_only")) {
            // the logical backup was taken before the last row was added
            Map<String, String> restored = TableChecksums.of(c);
            assertThat(restored.keySet()).isEqualTo(shopChecksums.keySet());
            assertThat(restored.get("Sales.Customers")).startsWith("2000:");
            assertThat(restored.get("Sales.orders_2025")).isEqualTo(shopChecksums.get("Sales.orders_2025"));
        }
        assertNothingWritten();
    }

    @Test
    void aRestoreTestPassesFromIt() throws IOException {
        CellarCli.Run test = archived.cellarOk("verify", "--restore-test", "latest", "-d", SHOP);

        assertThat(test.stdout()).contains("restore test passed").contains("Sales.orders_2026");
        assertSaidOnce(test.stderr(), "refuses writes");
        assertNothingWritten();
    }

    @Test
    void pointInTimeRecoveryReadsTheBackupAndTheArchiveFromIt() throws Exception {
        Path dataDir = archived.restoreDir("restored-from-read-only");
        int port = ArchivedCluster.freePort();

        CellarCli.Run pitr = archived.cellarOk("restore", "pitr", "-D", dataDir.toString(), "--start", "--port", Integer.toString(port),
                "--archive-mode", "off", "--json");

        try {
            JsonNode result = JSON.readTree(pitr.stdout());
            assertThat(result.get("state").asText()).isEqualTo("promoted");
            assertThat(result.get("readOnly").get("readWithoutLock").asBoolean()).isTrue();
            assertSaidOnce(pitr.stderr(), "without a lock");
            try (Connection c = ArchivedCluster.connect(port, SHOP); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT \"Full Name\" FROM \"Sales\".\"Customers\" WHERE id = 9001")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("after the physical backup");
            }
        } finally {
            archived.stopRestored(dataDir);
        }
        assertNothingWritten();
    }

    @Test
    void readOnlyHoldsEvenForRootWhomThePermissionsDoNotBind() throws IOException {
        CellarCli asRoot = new CellarCli(Map.of());

        CellarCli.Run verify = asRoot.run("verify", "-d", SHOP, "--read-only", "--config", archived.config().toString());

        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.stderr()).contains("opened read-only (--read-only)");
        assertNothingWritten();
    }

    private void assertNothingWritten() throws IOException {
        assertThat(snapshot(repository)).as("every file and folder of the repository, with size, mtime and mode").isEqualTo(handedOver);
    }

    private static void assertSaidOnce(String stderr, String phrase) {
        assertThat(stderr.split(java.util.regex.Pattern.quote(phrase), -1)).as(stderr).hasSize(2);
    }

    /** chmod -R a-w: the owner (the server user Cellar runs as) may read it, and no longer write it. */
    private static void removeWritePermission(Path root) throws IOException {
        Set<PosixFilePermission> writes = Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p);
                permissions.removeAll(writes);
                Files.setPosixFilePermissions(p, permissions);
            }
        }
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
                entries.put(root.relativize(p).toString(), (a.isDirectory() ? "dir " : a.size() + " bytes ")
                        + a.lastModifiedTime().toMillis() + " " + PosixFilePermissions.toString(a.permissions()));
            }
        }
        return entries;
    }
}
