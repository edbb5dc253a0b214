package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.backup.BackupResult;
import dev.cellar.backup.LogicalBackup;
import dev.cellar.backup.LogicalBackupOptions;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.SchemaDumps;
import dev.cellar.pg.TableChecksums;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.restore.LogicalRestore;
import dev.cellar.restore.LogicalRestoreOptions;
import dev.cellar.restore.RestoreResult;
import dev.cellar.sample.ChurnResult;
import dev.cellar.sample.SampleChurn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The spine of Cellar end to end on a real cluster: logical backups of the restaurant reference
 * database and of pgbench restore to databases identical table by table and in schema, repeat
 * backups deduplicate, and single tables come back whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogicalBackupRestoreIT {
    /** Where the repository lives; the S3 variant of this test overrides it. */
    protected RepositoryPlacement placement() {
        return RepositoryPlacement.folder();
    }

    private Path workDir;
    private LocalCluster cluster;
    private Repository repository;

    @BeforeAll
    void startClusterAndLoadData() throws Exception {
        workDir = TestFolders.create("cellar-logical-it");
        // no autovacuum: one that lands between a backup and the churn lets new row versions fill
        // freed space all over a table, and how much of the dump moves would vary from run to run
        cluster = LocalCluster.start(TestFolders.create("cellar-logical-it-pg"), dev.cellar.pg.PgBinaries.locate(null),
                java.util.Map.of("autovacuum", "off"));
        TestDatabases.loadRestaurant(cluster, TestDatabases.RESTAURANT, 4);
        TestDatabases.loadPgbench(cluster, TestDatabases.PGBENCH, 5);
        repository = Repository.init(placement().open(workDir), RepositorySecret.passphrase("it-passphrase".toCharArray()),
                ChunkerParameters.DEFAULT, Clock.systemUTC());
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void restaurantDatabaseRestoresIdenticalInDataAndSchema() throws Exception {
        assertRoundTripIdentical(TestDatabases.RESTAURANT, "restaurant_restored");
    }

    @Test
    void pgbenchDatabaseRestoresIdenticalInDataAndSchema() throws Exception {
        assertRoundTripIdentical(TestDatabases.PGBENCH, "pgbench_restored");
    }

    @Test
    void backupRecordsExactRowCountsPerTable() throws Exception {
        BackupManifest manifest = backup(TestDatabases.RESTAURANT).manifest();
        Map<String, String> checksums = checksums(TestDatabases.RESTAURANT);
        for (BackupManifest.TableEntry table : manifest.tables()) {
            if (!table.partitioned()) {
                String recorded = checksums.get(table.qualifiedName());
                assertThat(recorded).as("checksum of %s", table.qualifiedName()).isNotNull();
                assertThat(recorded).startsWith(table.rows() + ":");
            }
        }
        assertThat(manifest.tables()).anyMatch(BackupManifest.TableEntry::partitioned);
        assertThat(manifest.tables()).anyMatch(t -> t.partitionOf() != null);
    }

    @Test
    void secondBackupOfUnchangedDatabaseStoresUnderFivePercentNewBytes() {
        backup(TestDatabases.PGBENCH);
        BackupResult second = backup(TestDatabases.PGBENCH);
        System.out.printf(Locale.ROOT, "unchanged pgbench: second backup stored %.2f%% new bytes (%d of %d)%n",
                100 * second.newByteRatio(), second.newPlainBytes(), second.manifest().totalBytes());
        assertThat(second.newByteRatio()).isLessThan(0.05);

        backup(TestDatabases.RESTAURANT);
        BackupResult restaurantSecond = backup(TestDatabases.RESTAURANT);
        System.out.printf(Locale.ROOT, "unchanged restaurant_ordering: second backup stored %.2f%% new bytes%n",
                100 * restaurantSecond.newByteRatio());
        assertThat(restaurantSecond.newByteRatio()).isLessThan(0.05);
    }

    @Test
    void backupAfterTwoPercentChurnStoresNewBytesInProportion() throws Exception {
        String database = "restaurant_churn";
        TestDatabases.loadRestaurant(cluster, database, 10);
        BackupResult before = backup(database);
        ChurnResult churn;
        try (Connection c = cluster.connect(database)) {
            churn = SampleChurn.apply(c, 0.02, 7);
        }
        BackupResult after = backup(database);
        long wholeBackupStored = after.manifest().streams().get(0).chunks().stream().distinct()
                .mapToLong(chunk -> repository.chunks().storedSize(chunk.id())).sum();
        System.out.printf(Locale.ROOT, "restaurant_ordering after 2%% churn (%d rows of %d): %.2f%% new bytes (%d of %d), "
                + "repository grew %d bytes of the %d a standalone copy would take%n", churn.touched(), before.manifest().totalRows(),
                100 * after.newByteRatio(), after.newPlainBytes(), after.manifest().totalBytes(), after.storedBytes(), wholeBackupStored);
        // At this scale (a 70 MB dump in ~130 chunks) each changed region costs a chunk or two; at 1 GB the share is far lower.
        // The dumps are the same every run, but every repository draws its own chunker seed, so where the chunk boundaries
        // fall, and how big the chunks around a change are, varies. Both dumps chunked with 400 seeds: new bytes 7.3-26.0%
        // (median 12.6%, p99 21.7%), stored 8.5-34.5% of a standalone copy (median 15.7%, p99 27.6%). Fixed-size 512 KiB chunks
        // of the same two dumps: 92% new bytes.
        assertThat(after.newByteRatio()).isGreaterThan(0.0).isLessThan(0.33);
        assertThat(after.storedBytes()).isLessThan(wholeBackupStored * 45 / 100);
    }

    @Test
    void droppedTableComesBackWholeWithTableOption() throws Exception {
        BackupResult result = backup(TestDatabases.RESTAURANT);
        String target = "restaurant_single_table";
        restore(result.manifest().id(), target, List.of(), false);
        Map<String, String> expected = checksums(target);
        cluster.execute(target, "DROP TABLE public.menu_items CASCADE");

        RestoreResult restored = restore(result.manifest().id(), target, List.of("public.menu_items"), false);

        assertThat(restored.tables()).containsExactly("public.menu_items");
        assertThat(checksums(target)).isEqualTo(expected);
        assertThat(SchemaDumps.normalizedSchema(cluster, target)).isEqualTo(SchemaDumps.normalizedSchema(cluster, TestDatabases.RESTAURANT));
    }

    @Test
    void droppedPartitionedTableComesBackWithItsPartitionsAndIncomingForeignKeys() throws Exception {
        BackupResult result = backup(TestDatabases.RESTAURANT);
        String target = "restaurant_partitioned_table";
        restore(result.manifest().id(), target, List.of(), false);
        Map<String, String> expected = checksums(target);
        List<String> expectedSchema = statements(SchemaDumps.normalizedSchema(cluster, target));
        cluster.execute(target, "DROP TABLE public.orders CASCADE");  // takes the view daily_revenue and two foreign keys along

        RestoreResult restored = restore(result.manifest().id(), target, List.of("orders"), false);

        assertThat(restored.tables()).contains("public.orders", "public.orders_default").hasSizeGreaterThan(10);
        assertThat(checksums(target)).isEqualTo(expected);
        // objects re-created later get later OIDs, so pg_dump lists them in another order: compare as sets
        assertThat(statements(SchemaDumps.normalizedSchema(cluster, target))).isEqualTo(expectedSchema);
    }

    private static List<String> statements(String schema) {
        return java.util.Arrays.stream(schema.split(";\n")).map(String::strip).sorted().toList();
    }

    @Test
    void oddIdentifiersLargeObjectsAndMaterializedViewsSurviveTheRoundTrip() throws Exception {
        String source = "odd_things";
        cluster.createDatabase(source);
        cluster.execute(source, """
                CREATE SCHEMA "Odd-Schema";
                CREATE TABLE "Odd-Schema"."Weird Table" ("Id" int PRIMARY KEY, "naïve value" text, doc jsonb, blob bytea);
                INSERT INTO "Odd-Schema"."Weird Table"
                  SELECT g, 'tab	new\nline ' || g, jsonb_build_object('g', g), decode(md5(g::text), 'hex')
                  FROM generate_series(1, 5000) g;
                CREATE MATERIALIZED VIEW "Odd-Schema".summary AS SELECT count(*) AS n FROM "Odd-Schema"."Weird Table";
                CREATE UNLOGGED TABLE scratch AS SELECT g AS id FROM generate_series(1, 100) g;
                CREATE TABLE documents (id int PRIMARY KEY, content oid);
                INSERT INTO documents VALUES (1, lo_from_bytea(0, convert_to(repeat('large object ', 50000), 'UTF8')));
                """);
        BackupResult result = backup(source);
        assertThat(result.manifest().tables()).extracting(BackupManifest.TableEntry::qualifiedName)
                .contains("Odd-Schema.Weird Table", "public.scratch", "public.documents");

        RestoreResult restored = restore(result.manifest().id(), "odd_things_restored", List.of(), false);

        assertThat(restored.rowsStreamed()).as("large objects take the temporary archive and pg_restore").isFalse();
        assertThat(checksums("odd_things_restored")).isEqualTo(checksums(source));
        assertThat(SchemaDumps.normalizedSchema(cluster, "odd_things_restored")).isEqualTo(SchemaDumps.normalizedSchema(cluster, source));
        try (Connection c = cluster.connect("odd_things_restored"); var st = c.createStatement();
             var rs = st.executeQuery("SELECT md5(lo_get(content)), (SELECT n FROM \"Odd-Schema\".summary) FROM documents")) {
            rs.next();
            assertThat(rs.getString(1)).as("large object content").isEqualTo(md5Of("large object ".repeat(50000)));
            assertThat(rs.getLong(2)).as("materialized view refreshed on restore").isEqualTo(5000);
        }
    }

    private static String md5Of(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void restoreRefusesExistingDatabaseWithoutForceAndReplacesItWithForce() throws Exception {
        BackupResult result = backup(TestDatabases.PGBENCH);
        String target = "pgbench_force";
        restore(result.manifest().id(), target, List.of(), false);
        cluster.execute(target, "DELETE FROM pgbench_accounts WHERE aid <= 1000");

        assertThatThrownBy(() -> restore(result.manifest().id(), target, List.of(), false))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TARGET_EXISTS))
                .hasMessageContaining(target);
        assertThat(count(target, "pgbench_accounts")).isEqualTo(500_000 - 1000);

        RestoreResult forced = restore(result.manifest().id(), target, List.of(), true);
        assertThat(forced.replacedExisting()).isTrue();
        assertThat(forced.rowsStreamed()).isTrue();
        assertThat(checksums(target)).isEqualTo(checksums(TestDatabases.PGBENCH));
    }

    private void assertRoundTripIdentical(String source, String target) throws Exception {
        BackupResult result = backup(source);
        RestoreResult restored = restore(result.manifest().id(), target, List.of(), false);
        assertThat(restored.rowsStreamed()).as("rows streamed from the repository into COPY, no temporary archive").isTrue();
        Map<String, String> expected = checksums(source);
        assertThat(expected).isNotEmpty();
        assertThat(checksums(target)).isEqualTo(expected);
        assertThat(SchemaDumps.normalizedSchema(cluster, target)).isEqualTo(SchemaDumps.normalizedSchema(cluster, source));
        // sequence values are data-section entries that pg_restore restores beside the streamed rows
        assertThat(sequenceValues(target)).isEqualTo(sequenceValues(source));
    }

    private Map<String, String> sequenceValues(String database) throws SQLException {
        Map<String, String> values = new java.util.TreeMap<>();
        try (Connection c = cluster.connect(database); var st = c.createStatement();
             var rs = st.executeQuery("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        }
        return values;
    }

    BackupResult backup(String database) {
        return new LogicalBackup(repository, TestDatabases.spec(cluster, database),
                new LogicalBackupOptions(3, 2, null, Duration.ofSeconds(30)), ProgressListener.NONE).run();
    }

    private RestoreResult restore(String id, String target, List<String> tables, boolean force) {
        return new LogicalRestore(repository, TestDatabases.spec(cluster, "postgres"),
                new LogicalRestoreOptions(target, tables, force, false, 2, workDir.resolve("restore-work"), null, Duration.ofSeconds(30)),
                ProgressListener.NONE).run(id);
    }

    private Map<String, String> checksums(String database) throws SQLException {
        try (Connection c = cluster.connect(database)) {
            return TableChecksums.of(c);
        }
    }

    private long count(String database, String table) throws SQLException {
        try (Connection c = cluster.connect(database); var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
