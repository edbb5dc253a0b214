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
    private static final String PASSPHRASE = "archive it";
    private static final YearMonth SEPTEMBER = YearMonth.of(2026, 9);

    private static LocalCluster cluster;
    private static Path repoFolder;
    private static Repository repository;
    private static DataPolicy policy;

    @BeforeAll
    static void restaurantAndRepository() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-archive-it-pg"));
        TestDatabases.loadRestaurant(cluster, DB, 1);
        repoFolder = TestFolders.create("cellar-archive-it").resolve("repo");
        repository = CheapKdfRepositories.init(repoFolder, PASSPHRASE);
        policy = DataPolicyParser.restaurantOrdering();
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

    static void flipByte(Path file, int offset) throws java.io.IOException {
        boolean writable = file.toFile().canWrite();
        file.toFile().setWritable(true);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[offset] ^= 0x01;
        java.nio.file.Files.write(file, bytes);
        file.toFile().setWritable(writable);
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = cluster.connect(DB); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
