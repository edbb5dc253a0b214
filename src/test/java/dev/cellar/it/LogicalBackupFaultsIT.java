package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.ProcessRunner;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input and faults, driven through the real command line: each gives one clear message and
 * its documented exit code, and leaves the repository with every earlier backup intact.
 */
class LogicalBackupFaultsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("faults-passphrase");
    private static Path workDir;
    private static LocalCluster cluster;
    private static CellarCli cli;
    private static String firstBackupId;

    @BeforeAll
    static void startClusterAndTakeFirstBackup() throws Exception {
        workDir = TestFolders.create("cellar-faults-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-faults-it-pg"));
        cluster.createDatabase("small");
        cluster.execute("small", "CREATE TABLE notes (id int PRIMARY KEY, body text); "
                + "INSERT INTO notes SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
        cluster.createDatabase("noise");
        // about 60 MB of incompressible text: slow enough to kill mid-way, big enough to fill a small disk
        cluster.execute("noise", "CREATE TABLE noise AS SELECT g AS id, string_agg(md5(random()::text), '') AS body "
                + "FROM generate_series(1, 60000) g, generate_series(1, 32) h GROUP BY g");
        cli = cliFor(workDir.resolve("repo"), "small");
        assertThat(cli.run("init").exitCode()).isZero();
        CellarCli.Run first = cli.run("backup", "logical", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        firstBackupId = JSON.readTree(first.stdout()).get("manifest").get("id").asText();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void wrongPassphraseFailsBeforeAnyWorkWithExitCode5() {
        CellarCli.Run run = cli.with("CELLAR_PASSPHRASE", "not-the-passphrase").run("backup", "logical");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.WRONG_KEY.exitCode());
        assertThat(run.stderr()).contains("does not open repository").contains("HINT");
        assertEarlierBackupIntact();
    }

    @Test
    void aNewKeyFileUnlocksThroughAnHkdfSlotAndAnotherKeyFileIsRefusedWithExitCode5() throws IOException {
        Path repo = workDir.resolve("key-file-repo");
        Path keyFile = workDir.resolve("cellar.key");
        Path otherKeyFile = workDir.resolve("other.key");
        CellarCli keyed = cliFor(repo, "small"); // a key file given wins over the passphrase in the environment
        CellarCli.Run init = keyed.run("init", "--new-key-file", keyFile.toString());
        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(keyed.run("init", "-r", workDir.resolve("other-repo").toString(), "--new-key-file", otherKeyFile.toString()).exitCode())
                .isZero();
        try (Stream<Path> slots = Files.list(repo.resolve("keys"))) {
            List<Path> slotFiles = slots.toList();
            assertThat(slotFiles).hasSize(1);
            assertThat(JSON.readTree(slotFiles.get(0).toFile()).get("kdf").asText()).isEqualTo("hkdf-sha256");
        }

        CellarCli.Run backup = keyed.run("backup", "logical", "--key-file", keyFile.toString());
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        CellarCli.Run list = keyed.run("list", "--json", "--key-file", keyFile.toString());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(JSON.readTree(list.stdout()).get("backups")).hasSize(1);

        CellarCli.Run wrong = keyed.run("list", "--key-file", otherKeyFile.toString());
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ErrorCode.WRONG_KEY.exitCode());
        assertThat(wrong.stderr()).contains("the key-file given does not open repository").contains("HINT");
    }

    @Test
    void missingConfigFileIsNamedWithExitCode3() {
        CellarCli.Run run = cli.run("list", "--config", workDir.resolve("no-such.yaml").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.CONFIG_INVALID.exitCode());
        assertThat(run.stderr()).contains("no-such.yaml");
    }

    @Test
    void malformedConfigNamesTheKeyWithExitCode3() throws IOException {
        Path config = workDir.resolve("bad.yaml");
        Files.writeString(config, "backup:\n  compression-level: fast\n");
        CellarCli.Run run = cli.run("backup", "logical", "--config", config.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.CONFIG_INVALID.exitCode());
        assertThat(run.stderr()).contains("backup.compression-level").contains("fast");
    }

    @Test
    void unreachableDatabaseGivesExitCode6AndChangesNothing() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CellarCli.Run run = cli.with("CELLAR_DATABASE_PORT", Integer.toString(closedPort)).run("backup", "logical");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE.exitCode());
        assertThat(run.stderr()).contains("cannot connect").contains(Integer.toString(closedPort));
        assertEarlierBackupIntact();
    }

    @Test
    void missingPgDumpIsNamedWithExitCode7() throws IOException {
        Path emptyBinDir = Files.createDirectories(workDir.resolve("empty-bin"));
        CellarCli.Run run = cli.with("CELLAR_POSTGRES_BIN_DIR", emptyBinDir.toString()).run("backup", "logical");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.BINARY_MISSING.exitCode());
        assertThat(run.stderr()).contains("pg_dump");
        assertEarlierBackupIntact();
    }

    @Test
    void pgDumpOlderThanServerIsRefusedWithExitCode7() throws IOException {
        Path oldBinDir = Files.createDirectories(workDir.resolve("old-bin"));
        Path fake = oldBinDir.resolve("pg_dump");
        Files.writeString(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 11.22'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        CellarCli.Run run = cli.with("CELLAR_POSTGRES_BIN_DIR", oldBinDir.toString()).run("backup", "logical");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.BINARY_MISSING.exitCode());
        assertThat(run.stderr()).contains("11.22").contains("older than the server");
    }

    @Test
    void existingTargetDatabaseIsRefusedWithExitCode8() {
        cluster.createDatabase("taken");
        CellarCli.Run run = cli.run("restore", "logical", "latest", "--target-db", "taken");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.TARGET_EXISTS.exitCode());
        assertThat(run.stderr()).contains("taken").contains("--force");
    }

    @Test
    void fullRepositoryDiskFailsWithExitCode9AndKeepsEarlierBackups() throws Exception {
        assumeTrue(ProcessRunner.runningAsRoot(), "mounting a small tmpfs needs root (CI runs as root)");
        Path mount = Files.createDirectories(workDir.resolve("small-disk"));
        ProcessRunner.requireSuccess(List.of("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString()), Map.of(), null);
        try {
            CellarCli small = cliFor(mount.resolve("repo"), "small");
            assertThat(small.run("init").exitCode()).isZero();
            assertThat(small.run("backup", "logical").exitCode()).isZero();

            CellarCli.Run run = small.with("CELLAR_DATABASE_NAME", "noise").run("backup", "logical");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.STORAGE_FULL.exitCode());
            assertThat(run.stderr()).contains("no space left");
            assertThat(databasesListed(small)).containsExactly("small");
            CellarCli.Run restore = small.run("restore", "logical", "latest", "--target-db", "small_after_full_disk");
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
        } finally {
            ProcessRunner.run(List.of("umount", "-l", mount.toString()), Map.of(), null);
        }
    }

    @Test
    void killedBackupLeavesNoTraceButOrphansThatGcReclaims() throws Exception {
        Path repo = workDir.resolve("kill-repo");
        CellarCli killCli = cliFor(repo, "noise");
        assertThat(killCli.run("init").exitCode()).isZero();
        assertThat(killCli.with("CELLAR_DATABASE_NAME", "small").run("backup", "logical").exitCode()).isZero();

        Process backup = killCli.start("backup", "logical");
        int chunksBefore = countChunks(repo);
        awaitChunks(repo, chunksBefore + 5, Duration.ofSeconds(60));
        backup.destroyForcibly();  // SIGKILL: no shutdown hooks, no cleanup
        backup.waitFor();

        assertThat(databasesListed(killCli)).containsExactly("small");
        CellarCli.Run gc = killCli.run("gc", "--json");
        assertThat(gc.exitCode()).as(gc.toString()).isZero();
        JsonNode collected = JSON.readTree(gc.stdout());
        assertThat(collected.get("unreferenced").size()).as("orphan chunks reclaimed").isPositive();
        assertThat(countChunks(repo)).as("chunks left = chunks referenced").isEqualTo(collected.get("chunksReferenced").asInt());
        assertThat(collected.get("staleLocksBroken").size()).as("the killed backup's lock").isEqualTo(1);
        CellarCli.Run next = killCli.run("backup", "logical");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(databasesListed(killCli)).containsExactly("small", "noise");
        CellarCli.Run verify = killCli.run("verify", "--all");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        CellarCli.Run verifyLatest = killCli.run("verify", "latest");
        assertThat(verifyLatest.exitCode()).as(verifyLatest.toString()).isZero();
        assertThat(verifyLatest.stdout()).contains("verified: 1 backup(s)");
    }

    private static List<String> databasesListed(CellarCli cli) throws IOException {
        CellarCli.Run list = cli.run("list", "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<String> databases = new java.util.ArrayList<>();
        JSON.readTree(list.stdout()).get("backups").forEach(backup -> databases.add(backup.get("database").asText()));
        return databases;
    }

    private static int countChunks(Path repo) throws IOException {
        if (!Files.isDirectory(repo.resolve("chunks"))) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(repo.resolve("chunks"))) {
            return (int) files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void flippedByteInADataChunkFailsTheStreamedRestoreAndLeavesTheOldDatabase() throws Exception {
        Path repo = workDir.resolve("repo-flip");
        CellarCli flip = cliFor(repo, "noise");
        assertThat(flip.run("init").exitCode()).isZero();
        assertThat(flip.run("backup", "logical").exitCode()).isZero();
        CellarCli.Run restored = flip.run("restore", "logical", "latest", "--target-db", "noise_copy");
        assertThat(restored.exitCode()).as(restored.toString()).isZero();
        cluster.execute("noise_copy", "INSERT INTO noise VALUES (-1, 'only in the old database')");

        // a chunk in the middle of the stream: table rows, read after the schema was created and rows were loaded
        Path chunk = middleChunkOfLatestBackup(repo);
        byte[] original = Files.readAllBytes(chunk);
        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x01;
        Files.write(chunk, flipped);
        CellarCli.Run damaged;
        try {
            damaged = flip.run("restore", "logical", "latest", "--target-db", "noise_copy", "--force");
        } finally {
            Files.write(chunk, original);
        }
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(ErrorCode.INTEGRITY.exitCode());
        assertThat(damaged.stderr()).contains("damaged");
        assertThat(query("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'noise_copy%'")).isEqualTo("1");
        assertThat(query("noise_copy", "SELECT count(*) FROM noise")).isEqualTo("60001");
        assertThat(query("noise_copy", "SELECT body FROM noise WHERE id = -1")).isEqualTo("only in the old database");
    }

    @Test
    void flippedByteInASmallBackupFailsTheRestoreAndLeavesNoDatabaseBehind() throws Exception {
        // a backup of a few KiB, one or two chunks: the restore skips the JIT warm-up, never the check
        Path repo = workDir.resolve("repo-flip-small");
        CellarCli flip = cliFor(repo, "small");
        assertThat(flip.run("init").exitCode()).isZero();
        assertThat(flip.run("backup", "logical").exitCode()).isZero();
        Path chunk = chunkOfLatestBackup(repo, 1, chunks -> chunks.size() - 1);
        byte[] original = Files.readAllBytes(chunk);
        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x01;
        Files.write(chunk, flipped);
        CellarCli.Run damaged;
        try {
            damaged = flip.run("restore", "logical", "latest", "--target-db", "small_flipped");
        } finally {
            Files.write(chunk, original);
        }
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(ErrorCode.INTEGRITY.exitCode());
        assertThat(damaged.stderr()).contains("damaged");
        assertThat(query("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'small_flipped%'")).isEqualTo("0");
    }

    private static String query(String database, String sql) throws java.sql.SQLException {
        try (var c = cluster.connect(database); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Path middleChunkOfLatestBackup(Path repo) {
        return chunkOfLatestBackup(repo, 5, chunks -> chunks.size() / 2);
    }

    private static Path chunkOfLatestBackup(Path repo, int atLeast, ToIntFunction<List<ChunkRef>> which) {
        Repository repository = Repository.open(new LocalStorage(repo), RepositorySecret.passphrase(PASSPHRASE.toCharArray()), Clock.systemUTC());
        List<ChunkRef> chunks = new BackupCatalog(repository).resolve("latest", BackupManifest.KIND_LOGICAL).streams().get(0).chunks();
        assertThat(chunks.size()).as("chunks of the backup").isGreaterThanOrEqualTo(atLeast);
        String id = chunks.get(which.applyAsInt(chunks)).id();
        try (Stream<Path> files = Files.walk(repo.resolve("chunks"))) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no stored object for chunk " + id));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitChunks(Path repo, int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (countChunks(repo) >= count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("backup stored fewer than " + count + " chunks in " + timeout);
    }

    private static void assertEarlierBackupIntact() {
        CellarCli.Run show = cli.run("show", firstBackupId, "--json");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.stdout()).contains(firstBackupId);
    }

    private static CellarCli cliFor(Path repo, String database) {
        return new CellarCli(Map.of(
                "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_REPOSITORY_PATH", repo.toString(),
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", database,
                "CELLAR_BACKUP_WORK_DIR", workDir.resolve("work").toString()));
    }
}
