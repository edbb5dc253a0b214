package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.archive.ArchiveLayout;
import dev.cellar.lifecycle.archive.ArchiveManifest;
import dev.cellar.lifecycle.archive.Archiver;
import dev.cellar.lifecycle.archive.MonthlySelection;
import dev.cellar.lifecycle.archive.RepositoryArchiver;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.policy.DataPolicy;
import dev.cellar.lifecycle.policy.DataPolicyParser;
import dev.cellar.pg.LocalCluster;
import dev.cellar.repo.CheapKdfRepositories;
import dev.cellar.repo.Repository;
import dev.cellar.storage.LocalStorage;
import dev.cellar.storage.ObjectLockedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Monthly archives of restaurant_ordering (scale 1) in a local-folder repository: written from one
 * snapshot, self-contained, verified, locked; read back by Cellar and by docs/read-archive.py.
 */
class ArchiveIT {
    private static final String DB = TestDatabases.RESTAURANT;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("archive-it-passphrase-41c");
    private static final YearMonth SEPTEMBER = YearMonth.of(2026, 9);

    private static LocalCluster cluster;
    private static Path repoFolder;
    private static Repository repository;
    private static DataPolicy policy;
    private static CellarCli cli;
    private static final String OCTOBER = "'2026-10-01 00:00+00' AND '2026-11-01 00:00+00'";
    /** Per table of the policy, the rows an independent query dates in October 2026, each as its row text. */
    private static final Map<String, String> OCTOBER_ROWS = Map.of(
            "payments", "SELECT t::text FROM payments t WHERE paid_at >= %1$s",
            "orders", "SELECT t::text FROM orders t WHERE created_at >= %1$s",
            "order_items", "SELECT t::text FROM order_items t JOIN orders o ON o.id = t.order_id AND o.created_at = t.order_created_at"
                    + " WHERE o.created_at >= %1$s",
            "users", "SELECT t::text FROM users t WHERE last_active_at >= %1$s",
            "user_activity", "SELECT t::text FROM user_activity t JOIN users u ON u.id = t.user_id WHERE u.last_active_at >= %1$s",
            "inventory", "SELECT t::text FROM inventory t WHERE updated_at >= %1$s",
            "employees", "SELECT t::text FROM employees t WHERE employment_end >= %1$s",
            "audit.audit_logs", "SELECT t::text FROM audit.audit_logs t WHERE occurred_at >= %1$s");

    @BeforeAll
    static void restaurantAndRepository() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-archive-it-pg"));
        TestDatabases.loadRestaurant(cluster, DB, 1);
        repoFolder = TestFolders.create("cellar-archive-it").resolve("repo");
        repository = CheapKdfRepositories.init(repoFolder, PASSPHRASE);
        policy = DataPolicyParser.restaurantOrdering();
        Path config = repoFolder.getParent().resolve("cellar.yaml");
        java.nio.file.Files.writeString(config, "repository:\n  path: " + repoFolder + "\n");
        cli = new CellarCli(Map.of("CELLAR_CONFIG", config.toString(), "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_DATABASE_HOST", cluster.host(), "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(), "CELLAR_DATABASE_NAME", DB));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Archiver.ArchiveReceipt archiveMonth(RepositoryArchiver archiver, YearMonth month) throws SQLException {
        try (Connection c = cluster.connect(DB)) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                return archiver.archive(c, new Archiver.ArchiveRequest(DB, "monthly", month.toString(),
                        MonthlySelection.rows(policy, ForeignKeyCatalog.read(c), month), MonthlySelection.lockedUntil(policy, month), "test"));
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void archiverWritesTheMonthsRowsWithTheirParentsVerifiesThemAndLocksEveryObject() throws Exception {
        RepositoryArchiver archiver = new RepositoryArchiver(repository, policy, Clock.systemUTC());
        Archiver.ArchiveReceipt receipt = archiveMonth(archiver, SEPTEMBER);
        assertThat(receipt.archiveId()).isEqualTo("restaurant_ordering/monthly/2026-09");
        Map<String, Archiver.TableCount> counts = new TreeMap<>();
        receipt.tables().forEach(t -> counts.put(t.table(), t));

        // the selected rows are exactly those an independent query dates in September
        assertThat(counts.get("public.payments").selected()).isEqualTo(count(
                "SELECT count(*) FROM payments WHERE paid_at >= '2026-09-01 00:00+00' AND paid_at < '2026-10-01 00:00+00'")).isPositive();
        assertThat(counts.get("public.orders").selected()).isEqualTo(count(
                "SELECT count(*) FROM orders WHERE created_at >= '2026-09-01 00:00+00' AND created_at < '2026-10-01 00:00+00'"));
        assertThat(counts.get("public.order_items").selected()).isEqualTo(count(
                "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id AND o.created_at = i.order_created_at"
                        + " WHERE o.created_at >= '2026-09-01 00:00+00' AND o.created_at < '2026-10-01 00:00+00'"));
        // referenced rows came along: every order a September payment belongs to, every cafe and menu item
        assertThat(counts.get("public.orders").rows()).isGreaterThanOrEqualTo(counts.get("public.orders").selected());
        assertThat(counts.get("public.cafes").rows()).isEqualTo(count("SELECT count(*) FROM cafes")).isPositive();
        assertThat(counts.get("public.cafes").selected()).isZero();
        assertThat(counts.get("public.users").rows()).as("every user who ordered in September, and those last active then")
                .isGreaterThanOrEqualTo(count("SELECT count(DISTINCT user_id) FROM orders WHERE created_at >= '2026-09-01 00:00+00'"
                        + " AND created_at < '2026-10-01 00:00+00'"));

        assertThat(archiver.verify(receipt.archiveId()).intact()).isTrue();
        ArchiveManifest manifest = archiver.readManifest(ArchiveLayout.ofId(receipt.archiveId()));
        assertThat(manifest.locked()).isTrue();
        assertThat(manifest.subjects().get("public.users")).hasSize((int) counts.get("public.users").rows()).isSorted();
        assertThat(manifest.subjects().get("public.users").get(0)).matches("[0-9a-f]{64}");

        // WORM: the local storage refuses to delete a locked object of the archive
        LocalStorage storage = new LocalStorage(repoFolder);
        String orders = new ArchiveLayout(DB, "monthly", "2026-09").tableKey(new TableName("public", "orders"));
        assertThatThrownBy(() -> storage.delete(orders)).isInstanceOf(ObjectLockedException.class);
        assertThatThrownBy(() -> archiver.delete(receipt.archiveId())).isInstanceOf(ObjectLockedException.class)
                .extracting(e -> ((ObjectLockedException) e).code()).isEqualTo(ErrorCode.OBJECT_LOCKED);
    }

    @Test
    void verifyNamesAByteFlippedInATableObjectOrInTheManifest() throws Exception {
        RepositoryArchiver archiver = new RepositoryArchiver(repository, policy, Clock.systemUTC());
        YearMonth august = YearMonth.of(2026, 8);
        String id = archiveMonth(archiver, august).archiveId();
        ArchiveLayout layout = ArchiveLayout.ofId(id);
        Path payments = repoFolder.resolve(layout.tableKey(new TableName("public", "payments")));
        flipByte(payments, 100);
        Archiver.ArchiveVerification damaged = archiver.verify(id);
        assertThat(damaged.intact()).isFalse();
        assertThat(damaged.problems()).singleElement().asString().contains(layout.tableKey(new TableName("public", "payments")))
                .contains("does not authenticate");
        flipByte(payments, 100);
        assertThat(archiver.verify(id).intact()).isTrue();

        flipByte(repoFolder.resolve(layout.manifestKey()), 40);
        Archiver.ArchiveVerification manifest = archiver.verify(id);
        assertThat(manifest.intact()).isFalse();
        assertThat(manifest.problems()).singleElement().asString().contains("manifest.json").contains("does not authenticate");
        flipByte(repoFolder.resolve(layout.manifestKey()), 40);
    }

    @Test
    void aRetentionRunsArchiveLeftWithoutManifestIsListedIncompleteAndReplacedByTheNextAttempt() throws Exception {
        RepositoryArchiver archiver = new RepositoryArchiver(repository, policy, Clock.systemUTC());
        Archiver.ArchiveRequest request = new Archiver.ArchiveRequest(DB, "retention", "run-7",
                java.util.List.of(new dev.cellar.lifecycle.archive.RowSelection(new TableName("public", "payments"), "id <= 40")),
                java.time.Instant.now().minusSeconds(60), "retention run 7");
        Archiver.ArchiveReceipt first;
        try (Connection c = cluster.connect(DB)) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            first = archiver.archive(c, request);
            c.rollback();
        }
        assertThat(first.tables()).extracting(Archiver.TableCount::table)
                .containsExactly("public.cafes", "public.orders", "public.payments", "public.users");
        assertThat(first.tables().get(2).rows()).isEqualTo(40);
        assertThat(first.tables().get(2).selected()).isEqualTo(40);

        // a lock date already past: written unlocked, so a creation that stopped before its manifest can be replaced
        ArchiveLayout layout = ArchiveLayout.ofId(first.archiveId());
        java.nio.file.Files.delete(repoFolder.resolve(layout.manifestKey()));
        assertThat(archiver.list()).filteredOn(a -> a.id().equals(first.archiveId())).singleElement()
                .satisfies(a -> assertThat(a.complete()).isFalse());
        try (Connection c = cluster.connect(DB)) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            assertThat(archiver.archive(c, request).tables()).isEqualTo(first.tables());
            c.rollback();
        }
        assertThat(archiver.list()).filteredOn(a -> a.id().equals(first.archiveId())).singleElement()
                .satisfies(a -> assertThat(a.complete()).isTrue());
    }

    static void flipByte(Path file, int offset) throws java.io.IOException {
        boolean writable = file.toFile().canWrite();
        file.toFile().setWritable(true);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[offset] ^= 0x01;
        java.nio.file.Files.write(file, bytes);
        file.toFile().setWritable(writable);
    }

    @Test
    void theCliArchivesAMonthWhoseRestoreHoldsExactlyThatMonthsRowsAndVerifyCatchesAFlippedByte() throws Exception {
        CellarCli.Run created = cli.run("archive", "create", "--month", "2026-10", "--json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode json = JSON.readTree(created.stdout());
        assertThat(json.get("archiveId").asText()).isEqualTo("restaurant_ordering/monthly/2026-10");
        assertThat(json.get("locked").asBoolean()).isTrue();
        assertThat(json.get("lockedUntil").asText()).isEqualTo("2036-11-01T00:00:00Z");

        CellarCli.Run again = cli.run("archive", "create", "--month", "2026-10");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ErrorCode.TARGET_EXISTS.exitCode());
        CellarCli.Run replace = cli.run("archive", "create", "--month", "2026-10", "--replace");
        assertThat(replace.exitCode()).as(replace.toString()).isEqualTo(ErrorCode.OBJECT_LOCKED.exitCode());
        assertThat(replace.stderr()).contains("is locked (compliance) until 2036-11-01T00:00:00Z and cannot be replaced");
        CellarCli.Run unended = cli.run("archive", "create", "--month", "2099-01");
        assertThat(unended.exitCode()).as(unended.toString()).isEqualTo(ErrorCode.USAGE.exitCode());

        CellarCli.Run list = cli.run("archive", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout()).containsPattern("restaurant_ordering +monthly +2026-10 .*2036-11-01T00:00:00Z +complete");

        // restored into a scratch database, each policy table holds exactly October's rows among the rows dated in October
        CellarCli.Run restored = cli.run("archive", "restore", "--month", "2026-10", "--target-db", "october", "--create", "--json");
        assertThat(restored.exitCode()).as(restored.toString()).isZero();
        assertThat(JSON.readTree(restored.stdout()).get("erasures").get("ledgerEntries").asInt()).isZero();
        for (Map.Entry<String, String> table : OCTOBER_ROWS.entrySet()) {
            String sql = table.getValue().formatted(OCTOBER.replace(" AND ", " AND " + dateColumn(table.getValue()) + " < "));
            assertThat(digest("october", sql)).as(table.getKey()).isEqualTo(digest(DB, sql));
        }
        assertThat(digest("october", OCTOBER_ROWS.get("payments").formatted(OCTOBER.replace(" AND ", " AND paid_at < ")))).isNotEqualTo(digest("october", "SELECT ''"));
        assertThat(count("october", "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")).as("the archive restores with its foreign keys")
                .isEqualTo(count(DB, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conparentid = 0")).isPositive();
        CellarCli.Run intoSame = cli.run("archive", "restore", "--month", "2026-10", "--target-db", "october");
        assertThat(intoSame.exitCode()).as(intoSame.toString()).isEqualTo(ErrorCode.TARGET_EXISTS.exitCode());

        // one lookup without restoring
        long payment = count(DB, "SELECT min(id) FROM payments WHERE paid_at >= '2026-10-01 00:00+00'");
        CellarCli.Run lookup = cli.run("archive", "restore", "--month", "2026-10", "--table", "payments", "--where", "id = " + payment);
        assertThat(lookup.exitCode()).as(lookup.toString()).isZero();
        assertThat(lookup.stdout().lines().toList()).hasSize(2).first().asString().startsWith("id,order_id,");
        assertThat(lookup.stdout().lines().toList().get(1)).startsWith(payment + ",");

        // verify: intact, then a flipped byte in a table object, then in the manifest
        assertThat(cli.run("archive", "verify", "--month", "2026-10").exitCode()).isZero();
        ArchiveLayout layout = ArchiveLayout.ofId("restaurant_ordering/monthly/2026-10");
        Path orders = repoFolder.resolve(layout.tableKey(new TableName("public", "orders")));
        flipByte(orders, 200);
        CellarCli.Run damaged = cli.run("archive", "verify", "--month", "2026-10");
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(ErrorCode.VERIFY_FAILED.exitCode());
        assertThat(damaged.stdout()).contains("DAMAGED").contains("problem: " + layout.tableKey(new TableName("public", "orders")));
        flipByte(orders, 200);
        flipByte(repoFolder.resolve(layout.manifestKey()), 77);
        CellarCli.Run manifest = cli.run("archive", "verify", "--id", layout.id(), "--json");
        assertThat(manifest.exitCode()).as(manifest.toString()).isEqualTo(ErrorCode.VERIFY_FAILED.exitCode());
        assertThat(JSON.readTree(manifest.stdout()).get("problems").get(0).asText()).contains("manifest.json does not authenticate");
        flipByte(repoFolder.resolve(layout.manifestKey()), 77);

        // read without Cellar: the archive key and docs/read-archive.py give back October's payments as PostgreSQL writes them
        CellarCli.Run key = cli.run("archive", "key");
        assertThat(key.exitCode()).as(key.toString()).isZero();
        assertThat(key.stderr()).contains("keep it as safe as the repository passphrase");
        String objectKey = layout.tableKey(new TableName("public", "payments"));
        Process python = new ProcessBuilder("python3", "docs/read-archive.py", "--key", key.stdout().strip(), "--repository",
                repoFolder.toString(), objectKey).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String csv = new String(python.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(python.waitFor()).isZero();
        assertThat(csv).isEqualTo(copyOut(DB, "SELECT * FROM payments WHERE paid_at >= '2026-10-01 00:00+00' AND paid_at < '2026-11-01 00:00+00' ORDER BY id"));
        assertThat(csv.lines().count()).isGreaterThan(100);
    }

    private static String dateColumn(String sql) {
        return sql.substring(sql.lastIndexOf("WHERE ") + 6, sql.lastIndexOf(" >="));
    }

    private static String digest(String db, String rowsSql) throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '') FROM (" + rowsSql + ") x(r)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String copyOut(String db, String select) throws Exception {
        try (Connection c = cluster.connect(db)) {
            java.io.StringWriter out = new java.io.StringWriter();
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT (FORMAT csv, HEADER)", out);
            return out.toString();
        }
    }

    private static long count(String db, String sql) throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = cluster.connect(DB); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
