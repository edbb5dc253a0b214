package dev.cellar.demo;

import dev.cellar.backup.BackupResult;
import dev.cellar.backup.LogicalBackup;
import dev.cellar.backup.LogicalBackupOptions;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.restore.LogicalRestore;
import dev.cellar.restore.LogicalRestoreOptions;
import dev.cellar.restore.RestoreResult;
import dev.cellar.sample.ChurnResult;
import dev.cellar.sample.SampleChurn;
import dev.cellar.sample.SampleLoadResult;
import dev.cellar.sample.SampleLoader;
import dev.cellar.sample.SampleSpec;
import dev.cellar.storage.LocalStorage;
import dev.cellar.verify.RepositoryVerifier;
import dev.cellar.verify.RestoreTest;
import dev.cellar.verify.RestoreTestOptions;
import dev.cellar.verify.RestoreTestReport;
import dev.cellar.verify.VerifyReport;
import java.nio.file.Path;
import java.security.SecureRandom;
import dev.cellar.pg.PersistentCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.catalog.CatalogIngest;
import dev.cellar.server.catalog.IngestResult;
import dev.cellar.server.catalog.MonitoringRow;
import dev.cellar.server.catalog.MonitoringView;
import dev.cellar.server.catalog.StatusReport;
import java.sql.Connection;
import java.time.Instant;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole story on a throwaway cluster: load the restaurant data, back it up, change 2% of
 * it, back up again (deduplicated), lose the payments table, restore it from the repository,
 * and prove the data identical and the repository sound.
 */
public final class DemoRunner {
    static final String DATABASE = "restaurant_ordering";
    static final String DISASTER_TABLE = "public.payments";

    private final Path workDir;
    private final int scale;
    private final int jobs;
    private final Consumer<String> narrator;

    public DemoRunner(Path workDir, int scale, int jobs, Consumer<String> narrator) {
        this.workDir = workDir;
        this.scale = scale;
        this.jobs = jobs;
        this.narrator = narrator;
    }

    public DemoReport run() throws SQLException {
        List<DemoReport.Step> steps = new ArrayList<>();
        narrator.accept("starting a throwaway PostgreSQL cluster in " + workDir.resolve("cluster"));
        try (LocalCluster cluster = LocalCluster.start(workDir.resolve("cluster"))) {
            PgConnectionSpec database = new PgConnectionSpec(cluster.host(), cluster.port(), cluster.superuser(), DATABASE, null);

            // 1. The restaurant's database.
            cluster.createDatabase(DATABASE);
            narrator.accept("loading restaurant_ordering at scale " + scale + " (deterministic sample data) ...");
            SampleLoadResult loaded;
            long databaseBytes;
            try (Connection c = database.connect()) {
                loaded = SampleLoader.load(c, SampleSpec.ofScale(scale));
                databaseBytes = databaseSize(c);
            }
            narrator.accept(String.format("  %,d rows in %d tables, %s on disk", loaded.totalRows(), loaded.rowsPerTable().size(), mib(databaseBytes)));

            // 2. A repository and the first backup.
            byte[] passphrase = new byte[24];
            new SecureRandom().nextBytes(passphrase);
            Repository repository = Repository.init(new LocalStorage(workDir.resolve("repo")),
                    RepositorySecret.passphrase(HexFormat.of().formatHex(passphrase).toCharArray()), ChunkerParameters.DEFAULT, Clock.systemUTC());
            narrator.accept("created an encrypted repository in " + workDir.resolve("repo"));
            BackupResult first = backup(repository, database);
            narrator.accept(String.format("backup 1: %s dump stored as %s (zstd + AES-256-GCM) in %.1f s",
                    mib(first.manifest().totalBytes()), mib(first.storedBytes()), seconds(first.manifest().duration())));

            // 3. A day of business, then the second backup.
            ChurnResult churn;
            try (Connection c = database.connect()) {
                churn = SampleChurn.apply(c, 0.02, 1);
            }
            BackupResult second = backup(repository, database);
            narrator.accept(String.format("changed %,d rows (2%%); backup 2 found %.1f%% of its dump new and grew the repository by %s",
                    churn.touched(), 100 * second.newByteRatio(), mib(second.storedBytes())));
            Map<String, String> beforeDisaster;
            try (Connection c = database.connect()) {
                beforeDisaster = TableFingerprints.of(c);
            }

            // 4. Disaster: the payments table is dropped.
            cluster.execute(DATABASE, "DROP TABLE " + DISASTER_TABLE + " CASCADE");
            narrator.accept("DISASTER: DROP TABLE " + DISASTER_TABLE + " CASCADE");

            // 5. Restore just that table from the latest backup.
            RestoreResult restored = new LogicalRestore(repository, database.withDatabase("postgres"),
                    new LogicalRestoreOptions(DATABASE, List.of(DISASTER_TABLE), false, false, jobs, workDir.resolve("work"), null, Duration.ofSeconds(30)),
                    ProgressListener.NONE).run("latest");
            Map<String, String> afterRestore;
            try (Connection c = database.connect()) {
                afterRestore = TableFingerprints.of(c);
            }
            boolean identical = afterRestore.equals(beforeDisaster);
            steps.add(new DemoReport.Step("restore " + DISASTER_TABLE, identical, identical
                    ? "all " + afterRestore.size() + " tables identical to before the disaster" : "tables differ: " + differences(beforeDisaster, afterRestore)));
            narrator.accept(String.format("restored %s from backup %s in %.1f s; %s", DISASTER_TABLE, restored.backupId(),
                    seconds(restored.duration()), steps.get(steps.size() - 1).detail()));

            // 6. Verify the repository and test-restore the latest backup.
            VerifyReport verified = new RepositoryVerifier(repository).verify(List.of(), jobs, ProgressListener.NONE);
            narrator.accept(String.format("verify --all: %s (%d chunks authenticated)", verified.ok() ? "ok" : "FAILED", verified.chunksChecked()));
            RestoreTestReport restoreTest = new RestoreTest(repository, database.withDatabase("postgres"),
                    new RestoreTestOptions(jobs, workDir.resolve("work"), null, Duration.ofSeconds(30)), ProgressListener.NONE).run("latest");
            narrator.accept(String.format("verify --restore-test latest: %s (%d tables' row counts, %d foreign keys checked)",
                    restoreTest.ok() ? "passed" : "FAILED", restoreTest.tables().size(), restoreTest.foreignKeys().size()));

            // 7. What monitoring sees: the catalog, filled from the repository's audit trail and manifests.
            StatusReport status = status(repository);
            boolean protectedNow = !status.rows().isEmpty() && status.rows().stream().allMatch(r -> MonitoringRow.OK.equals(r.status()));
            steps.add(new DemoReport.Step("status", protectedNow, status.rows().size() + " row(s) of backup_monitoring, " + status.status()));

            return new DemoReport(workDir.toString(), databaseBytes, loaded.totalRows(), first.manifest().totalBytes(), first.storedBytes(),
                    first.manifest().duration(), churn.touched(), second.newByteRatio(), second.storedBytes(),
                    "DROP TABLE " + DISASTER_TABLE + " CASCADE", restored.duration(), identical, verified.ok(), restoreTest.ok(), steps, status);
        }
    }

    /** The demo database's row of backup_monitoring, from an embedded catalog in the demo's folder (stopped again after). */
    private StatusReport status(Repository repository) {
        Path catalogDir = workDir.resolve("state").resolve("catalog");
        try (Catalog catalog = Catalog.openEmbedded(catalogDir)) {
            IngestResult ingest = new CatalogIngest(catalog).ingest(repository, List.of(new CatalogIngest.Copy("main", repository)));
            Instant now = catalog.now();
            return StatusReport.of(now, new MonitoringView(catalog).at(now), DATABASE, ingest, null);
        } finally {
            PersistentCluster.stop(catalogDir, PgBinaries.locate(null));
        }
    }

    private BackupResult backup(Repository repository, PgConnectionSpec database) {
        return new LogicalBackup(repository, database, new LogicalBackupOptions(3, jobs, null, Duration.ofSeconds(30)), ProgressListener.NONE).run();
    }

    private static long databaseSize(Connection c) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static String differences(Map<String, String> expected, Map<String, String> actual) {
        List<String> differing = new ArrayList<>();
        expected.forEach((table, fingerprint) -> {
            if (!fingerprint.equals(actual.get(table))) {
                differing.add(table);
            }
        });
        actual.keySet().stream().filter(t -> !expected.containsKey(t)).forEach(differing::add);
        return String.join(", ", differing);
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
