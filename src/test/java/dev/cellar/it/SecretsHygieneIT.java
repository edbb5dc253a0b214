package dev.cellar.it;

import dev.cellar.pg.LocalCluster;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.secrets.KnownSecrets;
import dev.cellar.secrets.SecretsWatch;
import dev.cellar.storage.LocalStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret anywhere but where it belongs: a database password (SCRAM, so libpq really sends it)
 * and a repository passphrase, used by backup, restore, list, show, verify and audit through the
 * real CLI, must not appear in any child's command line ({@link SecretsWatch} reads them while the
 * commands run), in any command's output or JSON, in the audit trail, in any file Cellar wrote
 * (work folders, logs), or in the repository's plaintext: every manifest and every chunk is
 * decrypted and searched.
 */
class SecretsHygieneIT {
    private static final String PASSPHRASE = KnownSecrets.register("hygiene-repository-passphrase-7c1e");
    private static final String DB_PASSWORD = KnownSecrets.register("hygiene-database-password-94ab");
    private static final String DB = "menu";
    private static final String OWNER = "menu_owner";

    private static Path home;
    private static LocalCluster cluster;
    private static CellarCli cli;
    private static final List<CellarCli.Run> RUNS = new ArrayList<>();

    @BeforeAll
    static void aClusterThatAsksForAPassword() throws Exception {
        home = TestFolders.create("cellar-secrets-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-secrets-it-pg"));
        cluster.execute("postgres", "CREATE ROLE " + OWNER + " LOGIN SUPERUSER PASSWORD '" + DB_PASSWORD + "'");
        cluster.createDatabase(DB);
        cluster.execute(DB, "CREATE TABLE dishes (id int PRIMARY KEY, name text, price numeric); "
                + "INSERT INTO dishes SELECT g, 'dish ' || g, g * 0.5 FROM generate_series(1, 50000) g");
        // SCRAM for this role over TCP, before the trust lines initdb wrote: libpq must send the password
        Path hba = cluster.dataDir().resolve("pg_hba.conf");
        Files.writeString(hba, "host all " + OWNER + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
        cluster.execute("postgres", "SELECT pg_reload_conf()");
        Path passwordFile = home.resolve("db-password");
        Files.writeString(passwordFile, DB_PASSWORD + "\n");
        Files.setPosixFilePermissions(passwordFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        cli = new CellarCli(Map.of(
                "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_REPOSITORY_PATH", home.resolve("repo").toString(),
                "CELLAR_DATABASE_HOST", "127.0.0.1",
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", OWNER,
                "CELLAR_DATABASE_PASSWORD_FILE", passwordFile.toString(),
                "CELLAR_DATABASE_NAME", DB,
                "CELLAR_BACKUP_WORK_DIR", home.resolve("work").toString()));
        ok("init");
        String id = dev.cellar.repo.RepositoryJson.mapper().readTree(ok("backup", "logical", "--json").stdout())
                .path("manifest").path("id").asText();
        ok("restore", "logical", id, "--target-db", "menu_restored", "--json");
        ok("list", "--json");
        ok("show", id, "--json");
        ok("verify", "--all", "--json");
        ok("audit", "--json");
        ok("backup", "logical");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theDatabasePasswordReallyWasAskedForAndUsed() throws Exception {
        String hba = Files.readString(cluster.dataDir().resolve("pg_hba.conf"));
        assertThat(hba.lines().findFirst().orElseThrow()).contains("scram-sha-256").contains(OWNER);
        CellarCli.Run wrong = cli.with("CELLAR_DATABASE_PASSWORD_FILE", null).with("CELLAR_DATABASE_PASSWORD_ENV", "NO_SUCH_VARIABLE")
                .run("backup", "logical");
        assertThat(wrong.exitCode()).as("without the password the server refuses: " + wrong).isNotZero();
    }

    @Test
    void noCommandLineOfAnyChildAndNoOutputHeldASecret() {
        SecretsWatch.sweep();
        assertThat(SecretsWatch.findings()).filteredOn(f -> f.contains(KnownSecrets.masked(PASSPHRASE))
                || f.contains(KnownSecrets.masked(DB_PASSWORD))).isEmpty();
        for (CellarCli.Run run : RUNS) {
            assertThat(run.stdout()).doesNotContain(PASSPHRASE).doesNotContain(DB_PASSWORD);
            assertThat(run.stderr()).doesNotContain(PASSPHRASE).doesNotContain(DB_PASSWORD);
        }
    }

    @Test
    void theWatchSeesASecretOnTheCommandLineOfAClientProgram() throws Exception {
        String canary = KnownSecrets.registerCanary("canary-on-a-command-line-5d2e");
        Process psql = new ProcessBuilder(dev.cellar.pg.PgBinaries.locate(null).path("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(cluster.port()),
                "-U", cluster.superuser(), "-d", DB, "-v", "canary=" + canary, "-c", "SELECT pg_sleep(3)").start();
        try {
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
            while (SecretsWatch.findings().stream().noneMatch(f -> f.contains(KnownSecrets.masked(canary)))
                    && java.time.Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(SecretsWatch.findings()).as("the watch reads children's command lines")
                    .anyMatch(f -> f.contains(KnownSecrets.masked(canary)) && f.contains("<secret>"));
        } finally {
            psql.destroyForcibly();
        }
    }

    @Test
    void noFileCellarWroteHoldsASecretInPlaintextNorDoesAnyDecryptedObject() throws Exception {
        List<String> holding = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("db-password")).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (text.contains(PASSPHRASE) || text.contains(DB_PASSWORD)) {
                    holding.add(home.relativize(file).toString());
                }
            }
        }
        assertThat(holding).as("files holding a secret (the audit trail, key slots, work folders, logs)").isEmpty();

        Repository repository = Repository.open(new LocalStorage(home.resolve("repo")), RepositorySecret.passphrase(PASSPHRASE.toCharArray()),
                Clock.systemUTC());
        long chunks = 0;
        for (String id : repository.manifests().ids()) {
            BackupManifest manifest = repository.manifests().load(id);
            assertThat(new String(RepositoryJson.write(manifest), StandardCharsets.UTF_8)).doesNotContain(PASSPHRASE).doesNotContain(DB_PASSWORD);
            for (var stream : manifest.streams()) {
                for (ChunkRef ref : stream.chunks()) {
                    String plain = new String(repository.chunks().get(ref), StandardCharsets.ISO_8859_1);
                    assertThat(plain).as("chunk " + ref.id()).doesNotContain(PASSPHRASE).doesNotContain(DB_PASSWORD);
                    chunks++;
                }
            }
        }
        assertThat(chunks).as("chunks decrypted and searched").isPositive();
    }

    private static CellarCli.Run ok(String... args) throws IOException {
        CellarCli.Run run = cli.run(args);
        assertThat(run.exitCode()).as("cellar " + String.join(" ", args) + "\n" + run).isZero();
        RUNS.add(run);
        return run;
    }
}
