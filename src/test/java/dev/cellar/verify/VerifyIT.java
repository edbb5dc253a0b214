package dev.cellar.verify;

import dev.cellar.it.TestFolders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.backup.LogicalBackup;
import dev.cellar.backup.LogicalBackupOptions;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.restore.LogicalRestore;
import dev.cellar.restore.LogicalRestoreOptions;
import dev.cellar.storage.LocalStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verify and restore-test against one real backup of a small shop database; each damage test
 * puts back the bytes it changed, so the tests do not depend on each other.
 */
class VerifyIT {
    private static final String SHOP = "shop";
    private static final String SHOP_SCHEMA_AND_DATA = """
            CREATE SCHEMA sales;
            CREATE TABLE public.customers (id int PRIMARY KEY, name text NOT NULL);
            CREATE TABLE sales.orders (id int, customer_id int REFERENCES public.customers, placed date NOT NULL,
                                       PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
            CREATE TABLE sales.orders_2025 PARTITION OF sales.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE sales.orders_2026 PARTITION OF sales.orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE TABLE public."Order Notes" (order_id int, placed date, note text,
                                               FOREIGN KEY (order_id, placed) REFERENCES sales.orders (id, placed));
            INSERT INTO public.customers SELECT g, 'customer ' || g FROM generate_series(1, 1000) g;
            INSERT INTO sales.orders SELECT g, 1 + g % 1000, DATE '2025-01-01' + g % 700 FROM generate_series(1, 8000) g;
            INSERT INTO public."Order Notes" SELECT g, DATE '2025-01-01' + g % 700, 'note ' || g FROM generate_series(1, 1000) g;
            INSERT INTO public."Order Notes" VALUES (NULL, NULL, 'not about an order');
            """;

    private static LocalCluster cluster;
    private static Path repositoryDir;
    private static Path workDir;
    private static Repository repository;
    private static BackupManifest backup;

    @BeforeAll
    static void backUpASmallShop() throws IOException {
        cluster = LocalCluster.start(TestFolders.create("cellar-verify-it-pg"));
        cluster.createDatabase(SHOP);
        cluster.execute(SHOP, SHOP_SCHEMA_AND_DATA);
        repositoryDir = TestFolders.create("cellar-verify-it-repo");
        workDir = TestFolders.create("cellar-verify-it-work");
        repository = Repository.init(new LocalStorage(repositoryDir), RepositorySecret.passphrase("pw".toCharArray()),
                ChunkerParameters.DEFAULT, Clock.systemUTC());
        backup = new LogicalBackup(repository, server(SHOP), new LogicalBackupOptions(3, 2, null, Duration.ofSeconds(10)),
                ProgressListener.NONE).run().manifest();
    }

    @AfterAll
    static void removeClusterAndRepository() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        deleteRecursively(repositoryDir);
        deleteRecursively(workDir);
    }

    @Test
    void verifyOfAnIntactRepositoryIsOkAndReadsEachChunkOnce() {
        VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

        List<ChunkRef> distinct = backup.chunkRefs().distinct().toList();  // the dump's chunks and its globals'
        assertThat(report.ok()).isTrue();
        assertThat(report.backups()).containsExactly(new BackupCheck(backup.id(), true, List.of(), null));
        assertThat(report.chunksChecked()).isEqualTo(distinct.size()).isPositive();
        assertThat(report.bytesChecked()).isEqualTo(distinct.stream().mapToLong(ChunkRef::size).sum());
        assertThat(report.repositoryProblems()).isEmpty();
        assertThat(report.auditProblems()).isEmpty();
        assertThat(report.locks()).isEmpty();
        AuditRecord last = lastAuditRecord();
        assertThat(last.operation()).isEqualTo("verify");
        assertThat(last.target()).isEqualTo("all");
        assertThat(last.result()).isEqualTo(AuditRecord.OK);
    }

    @Test
    void restoreTestPassesOnAGoodBackupAndLeavesNoScratchDatabase() throws SQLException {
        RestoreTestReport report = restoreTest().run("latest");

        assertThat(report.ok()).isTrue();
        assertThat(report.backupId()).isEqualTo(backup.id());
        assertThat(report.scratchDatabase()).startsWith("cellar_restore_test_");
        assertThat(report.tables()).extracting(TableCheck::table).containsExactlyInAnyOrder(
                "public.Order Notes", "public.customers", "sales.orders", "sales.orders_2025", "sales.orders_2026");
        assertThat(report.tables()).allMatch(TableCheck::ok);
        assertThat(report.tables()).contains(new TableCheck("sales.orders", 8000, 8000, true));
        assertThat(report.foreignKeys()).extracting(ForeignKeyCheck::table).containsExactlyInAnyOrder("public.Order Notes", "sales.orders");
        assertThat(report.foreignKeys()).allMatch(ForeignKeyCheck::ok);
        assertThat(scratchDatabases()).isEmpty();
        assertThat(lastAuditRecord().operation()).isEqualTo("verify.restore-test");
    }

    @Test
    void flippedChunkByteIsReportedAndRefusedByRestore() throws IOException, SQLException {
        Path chunk;
        try (Stream<Path> files = Files.walk(repositoryDir.resolve("chunks"))) {
            chunk = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        String chunkKey = repositoryDir.relativize(chunk).toString().replace('\\', '/');

        try (DamagedFile damaged = DamagedFile.flipByte(chunk)) {
            VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

            assertThat(report.ok()).isFalse();
            assertThat(report.damagedBackups()).singleElement().satisfies(check -> {
                assertThat(check.backupId()).isEqualTo(backup.id());
                assertThat(check.damagedObjects()).containsExactly(chunkKey);
                assertThat(check.problem()).contains(chunkKey);
            });
            assertThat(lastAuditRecord().result()).isEqualTo(AuditRecord.FAILED);

            LogicalRestore restore = new LogicalRestore(repository, server("postgres"), new LogicalRestoreOptions("shop_from_damaged",
                    List.of(), false, true, 2, workDir, null, Duration.ofSeconds(10)), ProgressListener.NONE);
            assertThatThrownBy(() -> restore.run(backup.id()))
                    .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY))
                    .hasMessageContaining(backup.id());
            assertThat(databaseExists("shop_from_damaged")).isFalse();

            assertThatThrownBy(() -> restoreTest().run(backup.id()))
                    .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY));
            assertThat(scratchDatabases()).isEmpty();
        }
    }

    @Test
    void flippedManifestByteIsReportedUnderItsBackup() throws IOException {
        try (DamagedFile damaged = DamagedFile.flipByte(repositoryDir.resolve("backups").resolve(backup.id()))) {
            VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

            assertThat(report.ok()).isFalse();
            assertThat(report.backups()).singleElement().satisfies(check -> {
                assertThat(check.backupId()).isEqualTo(backup.id());
                assertThat(check.ok()).isFalse();
                assertThat(check.damagedObjects()).containsExactly("backups/" + backup.id());
            });
        }
    }

    @Test
    void modifiedAuditRecordBreaksTheChainButOnlyAllChecksIt() throws IOException {
        Path first = repositoryDir.resolve("audit/000000000001.json");
        String json = Files.readString(first);
        int user = json.indexOf("\"user\":\"") + "\"user\":\"".length();
        String changed = json.substring(0, user) + (json.charAt(user) == 'x' ? 'y' : 'x') + json.substring(user + 1);

        try (DamagedFile damaged = DamagedFile.replace(first, changed.getBytes(StandardCharsets.UTF_8))) {
            VerifyReport all = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);
            VerifyReport one = new RepositoryVerifier(repository).verify(List.of(backup.id()), 2, ProgressListener.NONE);

            assertThat(all.ok()).isFalse();
            assertThat(all.auditProblems()).anyMatch(problem -> problem.contains("audit record 1 "));
            assertThat(all.backups()).allMatch(BackupCheck::ok);
            assertThat(one.ok()).isTrue();
            assertThat(one.auditProblems()).isEmpty();
        }
    }

    @Test
    void removedAuditRecordIsReportedAsMissing() throws IOException {
        try (DamagedFile removed = DamagedFile.delete(repositoryDir.resolve("audit/000000000002.json"))) {
            VerifyReport report = new RepositoryVerifier(repository).verify(List.of(), 2, ProgressListener.NONE);

            assertThat(report.ok()).isFalse();
            assertThat(report.auditProblems()).anyMatch(problem -> problem.contains("audit records 2 ") && problem.contains("missing"));
        }
    }

    @Test
    void orphanCheckCountsRowsWhoseParentIsGoneButNotRowsWithANullKey() throws SQLException {
        cluster.createDatabase("orphans");
        try {
            cluster.execute("orphans", SHOP_SCHEMA_AND_DATA + """
                    SET session_replication_role = replica;
                    INSERT INTO sales.orders VALUES (9001, 5000, '2026-02-01'), (9002, NULL, '2026-02-01');
                    DELETE FROM sales.orders WHERE id IN (1, 2);
                    """);
            try (Connection c = cluster.connect("orphans")) {
                assertThat(ForeignKeyOrphanCheck.run(c)).containsExactlyInAnyOrder(
                        new ForeignKeyCheck("Order Notes_order_id_placed_fkey", "public.Order Notes", "sales.orders", 2),
                        new ForeignKeyCheck("orders_customer_id_fkey", "sales.orders", "public.customers", 1));
            }
        } finally {
            cluster.dropDatabase("orphans");
        }
    }

    /** A repository file changed for one test; closing puts the original bytes back. */
    private static final class DamagedFile implements AutoCloseable {
        private final Path file;
        private final byte[] original;

        private DamagedFile(Path file) throws IOException {
            this.file = file;
            this.original = Files.readAllBytes(file);
        }

        static DamagedFile flipByte(Path file) throws IOException {
            DamagedFile damaged = new DamagedFile(file);
            byte[] bytes = damaged.original.clone();
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(file, bytes);
            return damaged;
        }

        static DamagedFile replace(Path file, byte[] content) throws IOException {
            DamagedFile damaged = new DamagedFile(file);
            Files.write(file, content);
            return damaged;
        }

        static DamagedFile delete(Path file) throws IOException {
            DamagedFile damaged = new DamagedFile(file);
            Files.delete(file);
            return damaged;
        }

        @Override
        public void close() throws IOException {
            Files.write(file, original);
        }
    }

    private static RestoreTest restoreTest() {
        return new RestoreTest(repository, server("postgres"), new RestoreTestOptions(2, workDir, null, Duration.ofSeconds(10)),
                ProgressListener.NONE);
    }

    private static PgConnectionSpec server(String database) {
        return new PgConnectionSpec(cluster.host(), cluster.port(), cluster.superuser(), database, null);
    }

    private static AuditRecord lastAuditRecord() {
        List<AuditRecord> records = repository.audit().read(0).records();
        return records.get(records.size() - 1);
    }

    private static List<String> scratchDatabases() throws SQLException {
        try (Connection c = cluster.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE ?")) {
            ps.setString(1, ScratchDatabase.PREFIX + "%");
            try (ResultSet rs = ps.executeQuery()) {
                List<String> names = new java.util.ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                return names;
            }
        }
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection c = cluster.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
