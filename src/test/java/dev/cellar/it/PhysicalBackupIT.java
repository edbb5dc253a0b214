package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.ProcessResult;
import dev.cellar.pg.ProcessRunner;
import dev.cellar.pg.TableChecksums;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.restore.PhysicalFileRestore;
import dev.cellar.storage.LocalStorage;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Physical backups of a real cluster through the CLI, restored with {@link PhysicalFileRestore}
 * and started: PostgreSQL's own tools (pg_verifybackup, pg_amcheck) accept the result and
 * every table is identical to the source.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhysicalBackupIT {
    /** Where the repository lives; the S3 variant of this test overrides it. */
    protected RepositoryPlacement placement() {
        return RepositoryPlacement.folder();
    }

    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("physical-it-passphrase");
    private static final String DB = "bench";

    protected LocalCluster cluster;
    protected Path repoParent;
    protected Path config;
    private Path tablespaceDir;
    protected CellarCli cli;

    @BeforeAll
    void startClusterAndRepository() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-physical-it-pg"));
        cluster.createDatabase(DB);
        cluster.pgbench(DB, "-i", "-q", "-s", "3");
        tablespaceDir = ServerUser.newFolder("cellar-physical-it-ts");
        cluster.execute("postgres", "CREATE TABLESPACE side LOCATION '" + tablespaceDir + "'");
        cluster.execute(DB, "CREATE TABLE in_side TABLESPACE side AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
        cluster.execute(DB, "CREATE UNLOGGED TABLE scratch AS SELECT g AS id FROM generate_series(1, 5000) g");
        cluster.execute(DB, "CHECKPOINT");

        repoParent = ServerUser.newFolder("cellar-physical-it-repo");
        Repository.init(placement().open(repoParent), RepositorySecret.passphrase(PASSPHRASE.toCharArray()),
                ChunkerParameters.DEFAULT, Clock.systemUTC());
        config = writeConfig(repoParent, cluster, placement());
        ServerUser.giveAway(repoParent);
        cli = new CellarCli(Map.of()).asServerUser();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Path writeConfig(Path folder, LocalCluster c) throws IOException {
        return writeConfig(folder, c, RepositoryPlacement.folder());
    }

    static Path writeConfig(Path folder, LocalCluster c, RepositoryPlacement placement) throws IOException {
        Path passphrase = folder.resolve("passphrase");
        Files.writeString(passphrase, PASSPHRASE);
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        Path file = folder.resolve("cellar-" + c.port() + ".yaml");
        Files.writeString(file, "repository:\n  path: " + placement.location(folder) + "\n  passphrase-file: " + passphrase + "\n"
                + placement.extraYaml(folder)
                + "database:\n  host: 127.0.0.1\n  port: " + c.port() + "\n  user: postgres\n  name: postgres\n");
        return file;
    }

    @Test
    void fullBackupRestoresToAClusterIdenticalToTheSource() throws Exception {
        Map<String, String> before = checksums(cluster.port());
        CellarCli.Run run = cli.run("backup", "physical", "--config", config.toString(), "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode json = RepositoryJson.mapper().readTree(run.stdout());
        assertThat(json.get("type").asText()).isEqualTo("full");
        assertThat(json.get("storedBytes").asLong()).isPositive();

        Repository repo = openRepository();
        BackupManifest manifest = repo.manifests().load(json.get("id").asText());
        PhysicalInfo info = manifest.physical();
        assertThat(info.backupLabel()).contains("START WAL LOCATION").contains("cellar " + manifest.id());
        assertThat(info.tablespaces()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("side");
            assertThat(t.location()).isEqualTo(tablespaceDir.toString());
        });
        assertThat(info.tablespaceMap()).contains(tablespaceDir.toString());
        assertThat(info.files()).extracting(PhysicalInfo.FileEntry::path)
                .contains("global/pg_control", "PG_VERSION")
                .noneMatch(p -> p.startsWith("pg_wal/") || p.equals("postmaster.pid") || p.equals("backup_label"))
                .anyMatch(p -> p.startsWith("pg_tblspc/"));
        assertThat(info.directories()).extracting(PhysicalInfo.DirectoryEntry::path).contains("pg_wal", "pg_wal/archive_status");

        Path restored = restoreAndStart(repo, manifest);
        try {
            assertThat(checksums(restoredPort)).isEqualTo(before);
            try (Connection c = connect(restoredPort, DB); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM scratch")) {
                rs.next();
                assertThat(rs.getLong(1)).as("unlogged table comes back empty").isZero();
            }
            ProcessResult amcheck = ProcessRunner.run(List.of(cluster.binaries().path("pg_amcheck").toString(), "--all", "--install-missing",
                    "-h", "127.0.0.1", "-p", Integer.toString(restoredPort), "-U", "postgres"), Map.of(), null);
            assertThat(amcheck.exitCode()).as(amcheck.stdout() + amcheck.stderrTail()).isZero();
            assertThat(amcheck.stdout()).isBlank();
        } finally {
            LocalCluster.stopServer(cluster.binaries(), restored, "fast");
        }
    }

    @Test
    void incrementalStoresOnlyChangesAndRestoresOnItsOwn() throws Exception {
        CellarCli.Run full = cli.run("backup", "physical", "--config", config.toString(), "--json");
        assertThat(full.exitCode()).as(full.toString()).isZero();
        cluster.pgbench(DB, "-t", "300", "-c", "2");
        cluster.execute(DB, "CHECKPOINT");
        Map<String, String> before = checksums(cluster.port());
        CellarCli.Run incr = cli.run("backup", "physical", "--type", "incr", "--config", config.toString(), "--json");
        assertThat(incr.exitCode()).as(incr.toString()).isZero();
        JsonNode f = RepositoryJson.mapper().readTree(full.stdout());
        JsonNode i = RepositoryJson.mapper().readTree(incr.stdout());
        System.out.printf(Locale.ROOT, "incremental: %d files reused, read %d bytes, stored %d bytes (full stored %d, read %d)%n",
                i.get("filesReused").asInt(), i.get("bytesRead").asLong(), i.get("storedBytes").asLong(), f.get("storedBytes").asLong(),
                f.get("bytesRead").asLong());
        assertThat(i.get("type").asText()).isEqualTo("incr");
        assertThat(i.get("parentId").asText()).isEqualTo(f.get("id").asText());
        assertThat(i.get("filesReused").asInt()).isPositive();
        assertThat(i.get("bytesRead").asLong()).isLessThan(f.get("bytesRead").asLong());

        Repository repo = openRepository();
        BackupManifest manifest = repo.manifests().load(i.get("id").asText());
        Path restored = restoreAndStart(repo, manifest);
        try {
            assertThat(checksums(restoredPort)).isEqualTo(before);
        } finally {
            LocalCluster.stopServer(cluster.binaries(), restored, "fast");
        }
    }

    @Test
    void dataDirectoryOfAnotherClusterIsRefused() throws Exception {
        Path other = TestFolders.create("cellar-physical-it-other");
        try (LocalCluster second = LocalCluster.start(other)) {
            CellarCli.Run run = cli.run("backup", "physical", "--config", config.toString(), "--data-dir", second.dataDir().toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
            assertThat(run.stderr()).contains("data directory of another cluster").contains(second.dataDir().toString());
        }
    }

    @Test
    void incrementalWithoutAFullBackupSaysToTakeOne() throws Exception {
        Path folder = ServerUser.newFolder("cellar-physical-it-empty");
        Repository.init(new LocalStorage(folder.resolve("repo")), RepositorySecret.passphrase(PASSPHRASE.toCharArray()),
                ChunkerParameters.DEFAULT, Clock.systemUTC());
        Path emptyConfig = writeConfig(folder, cluster);
        ServerUser.giveAway(folder);
        CellarCli.Run run = cli.run("backup", "physical", "--type", "incr", "--config", emptyConfig.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(12);
        assertThat(run.stderr()).contains("take a full backup first");
    }

    @Test
    void aBackupUnderWormLocksItsManifestChunksAndWalRange() throws Exception {
        Path folder = ServerUser.newFolder("cellar-physical-it-worm");
        Repository.init(new LocalStorage(folder.resolve("repo")), RepositorySecret.passphrase(PASSPHRASE.toCharArray()),
                ChunkerParameters.DEFAULT, Clock.systemUTC());
        Path wormConfig = writeConfig(folder, cluster);
        Files.writeString(wormConfig, "worm:\n  mode: compliance\n  retain-days: 30\n  kinds: [physical]\n",
                java.nio.file.StandardOpenOption.APPEND);
        ServerUser.giveAway(folder);

        CellarCli.Run run = cli.run("backup", "physical", "--config", wormConfig.toString(), "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        LocalStorage storage = new LocalStorage(folder.resolve("repo"));
        Repository repo = Repository.open(storage, RepositorySecret.passphrase(PASSPHRASE.toCharArray()), Clock.systemUTC());
        BackupManifest manifest = repo.manifests().load(repo.manifests().ids().get(0));
        java.time.Instant until = manifest.retention().retainUntil();
        assertThat(until).isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(29)));
        assertThat(storage.retention("backups/" + manifest.id())).hasValueSatisfying(r -> assertThat(r.retainUntil()).isEqualTo(until));
        manifest.chunkRefs().map(ref -> "chunks/" + ref.id().substring(0, 2) + "/" + ref.id()).distinct().limit(50)
                .forEach(key -> assertThat(storage.retention(key)).as(key).isPresent());
        String startWal = manifest.physical().startWal();
        String walKey = storage.list("wal/").stream().filter(k -> k.endsWith("/" + startWal)).findFirst().orElseThrow();
        assertThat(storage.retention(walKey)).as(walKey).isPresent();
        assertThatThrownBy(() -> storage.delete(walKey)).isInstanceOf(dev.cellar.storage.ObjectLockedException.class);
        assertThatThrownBy(() -> storage.delete("backups/" + manifest.id())).isInstanceOf(dev.cellar.storage.ObjectLockedException.class);
    }

    // ---- helpers

    private int restoredPort;

    /** Restores the files and the backup's WAL into a new folder, checks it with pg_verifybackup and starts it. */
    private Path restoreAndStart(Repository repo, BackupManifest manifest) throws Exception {
        Path parent = ServerUser.newFolder("cellar-physical-it-restored");
        Path dataDir = parent.resolve("pgdata");
        Map<Long, Path> remap = Map.of();
        if (!manifest.physical().tablespaces().isEmpty()) {
            Path newLocation = ServerUser.newFolder("cellar-physical-it-ts-restored");
            remap = Map.of(manifest.physical().tablespaces().get(0).oid(), newLocation);
        }
        PhysicalFileRestore.Result result = new PhysicalFileRestore(repo).restore(manifest, dataDir, remap, 2, ProgressListener.NONE);
        System.out.printf(Locale.ROOT, "restored %d files, %d bytes in %d ms (%d ms fsync)%n", result.files(), result.bytes(),
                result.duration().toMillis(), result.syncTime().toMillis());
        PhysicalInfo info = manifest.physical();
        WalArchive archive = new WalArchive(repo, 3);
        long first = WalFileName.parse(info.startWal()).segmentNumber(info.walSegmentSize());
        long last = WalFileName.parse(info.stopWal()).segmentNumber(info.walSegmentSize());
        for (long n = first; n <= last; n++) {
            WalFileName segment = WalFileName.segment(info.timeline(), n, info.walSegmentSize());
            assertThat(archive.fetch(segment, dataDir.resolve("pg_wal").resolve(segment.name()))).isEqualTo(WalArchive.Fetched.FOUND);
        }
        ServerUser.giveAway(dataDir.resolve("pg_wal"));
        PgBinaries bins = cluster.binaries();
        ProcessResult verify = ProcessRunner.run(List.of(bins.path("pg_verifybackup").toString(), "-n", dataDir.toString()), Map.of(), null);
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderrTail()).isZero();
        ProcessResult verifyWal = ProcessRunner.run(List.of(bins.path("pg_verifybackup").toString(), "-w", dataDir.resolve("pg_wal").toString(),
                dataDir.toString()), Map.of(), null);
        assertThat(verifyWal.exitCode()).as(verifyWal.stdout() + verifyWal.stderrTail()).isZero();

        restoredPort = freePort();
        ProcessResult start = ProcessRunner.run(List.of(bins.path("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t", "60",
                "-l", parent.resolve("postgres.log").toString(), "-o", "-p " + restoredPort + " -c unix_socket_directories=" + parent,
                "start"), Map.of(), ServerUser.name());
        assertThat(start.exitCode()).as(start.stderrTail() + Files.readString(parent.resolve("postgres.log"))).isZero();
        return dataDir;
    }

    protected Repository openRepository() {
        return Repository.open(placement().open(repoParent), RepositorySecret.passphrase(PASSPHRASE.toCharArray()),
                Clock.systemUTC());
    }

    /** Every table's checksum; the unlogged one is left out (a restore brings it back empty, checked on its own). */
    private static Map<String, String> checksums(int port) throws Exception {
        try (Connection c = connect(port, DB)) {
            Map<String, String> all = new java.util.TreeMap<>(TableChecksums.of(c));
            all.remove("public.scratch");
            return all;
        }
    }

    static Connection connect(int port, String db) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, props);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
