package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.TableChecksums;
import dev.cellar.repo.CheapKdfRepositories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One repository with the backups of two databases, {@code Ledger} backed up first and
 * {@code hard} after it: "latest" with a database named means that database's newest backup for
 * restores, restore tests and show; with none named it is refused with both listed; and a
 * damaged manifest never hides the intact backups from list and show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LatestAndDamagedManifestsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("latest-manifests-it-passphrase");
    private static final String LEDGER = "Ledger";
    private static final String HARD = "hard";
    private static final String LEDGER_SCHEMA_AND_DATA = """
            CREATE SCHEMA books;
            CREATE TABLE books."Accounts" (id int PRIMARY KEY, "Label" text NOT NULL UNIQUE);
            CREATE TABLE books.entries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                                        account int NOT NULL REFERENCES books."Accounts", amount numeric(12, 2) NOT NULL,
                                        booked timestamptz NOT NULL);
            INSERT INTO books."Accounts" SELECT g, 'account ' || g FROM generate_series(1, 300) g;
            INSERT INTO books.entries (account, amount, booked)
                SELECT 1 + g % 300, (g % 1000) / 7.0, TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * INTERVAL '7 minutes'
                FROM generate_series(1, 5000) g;
            """;
    private static final String HARD_SCHEMA_AND_DATA = """
            CREATE TABLE public.readings (sensor int NOT NULL, at timestamptz NOT NULL, value double precision,
                                          PRIMARY KEY (sensor, at)) PARTITION BY HASH (sensor);
            CREATE TABLE public.readings_0 PARTITION OF public.readings FOR VALUES WITH (MODULUS 2, REMAINDER 0);
            CREATE TABLE public.readings_1 PARTITION OF public.readings FOR VALUES WITH (MODULUS 2, REMAINDER 1);
            INSERT INTO public.readings SELECT g % 17, TIMESTAMPTZ '2026-03-01 00:00:00+00' + g * INTERVAL '1 minute', g * 0.5
                FROM generate_series(1, 4000) g;
            """;

    private LocalCluster cluster;
    private Path home;
    private CellarCli cli;
    private String ledgerBackup;
    private String hardBackup;

    @BeforeAll
    void backUpTwoDatabases() throws IOException {
        home = TestFolders.create("cellar-latest-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-latest-it-pg"));
        cluster.createDatabase(LEDGER);
        cluster.execute(LEDGER, LEDGER_SCHEMA_AND_DATA);
        cluster.createDatabase(HARD);
        cluster.execute(HARD, HARD_SCHEMA_AND_DATA);
        CheapKdfRepositories.init(home.resolve("repo"), PASSPHRASE);
        // no database.name anywhere: each command names its database, or none
        cli = new CellarCli(Map.of(
                "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_REPOSITORY_PATH", home.resolve("repo").toString(),
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_BACKUP_WORK_DIR", home.resolve("work").toString()));
        ledgerBackup = backUp(LEDGER);
        hardBackup = backUp(HARD);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aLogicalRestoreOfLatestWithADatabaseNamedRestoresThatDatabase() throws Exception {
        JsonNode restored = JSON.readTree(ok("restore", "logical", "latest", "-d", LEDGER, "--target-db", "ledger_restored", "--json").stdout());

        assertThat(restored.get("backupId").asText()).isEqualTo(ledgerBackup);
        assertThat(checksums("ledger_restored")).isEqualTo(checksums(LEDGER));
    }

    @Test
    void aRestoreTestOfLatestWithADatabaseNamedTestsThatDatabase() throws Exception {
        JsonNode report = JSON.readTree(ok("verify", "--restore-test", "latest", "-d", LEDGER, "--json").stdout());

        assertThat(report.get("backupId").asText()).isEqualTo(ledgerBackup);
        assertThat(report.get("tables").findValuesAsText("table")).containsExactlyInAnyOrder("books.Accounts", "books.entries");
    }

    @Test
    void showLatestWithADatabaseNamedShowsThatDatabasesBackup() throws Exception {
        JsonNode shown = JSON.readTree(ok("show", "latest", "-d", LEDGER, "--json").stdout());

        assertThat(shown.get("id").asText()).isEqualTo(ledgerBackup);
        assertThat(shown.get("database").asText()).isEqualTo(LEDGER);
    }

    @Test
    void latestWithNoDatabaseNamedIsRefusedListingBothAndNothingIsRestored() throws Exception {
        CellarCli.Run restore = cli.run("restore", "logical", "latest", "--target-db", "unnamed_restore");
        CellarCli.Run restoreTest = cli.run("verify", "--restore-test", "latest");
        CellarCli.Run show = cli.run("show", "latest");

        for (CellarCli.Run run : new CellarCli.Run[] {restore, restoreTest, show}) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.stderr()).contains("'latest' is ambiguous").contains("database Ledger").contains("database hard")
                    .contains("HINT: name the database with -d NAME");
        }
        assertThat(databaseExists("unnamed_restore")).isFalse();
        assertThat(scratchDatabases()).isZero();
    }

    @Test
    void aDamagedManifestIsListedBesideTheIntactBackupsAndSkippedByShowLatest() throws Exception {
        String damaged = backUp(HARD);
        Path manifest = home.resolve("repo/backups/" + damaged);
        byte[] original = Files.readAllBytes(manifest);
        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x10;
        Files.write(manifest, flipped);
        try {
            CellarCli.Run list = ok("list");
            CellarCli.Run strict = cli.run("list", "--strict");
            JsonNode listed = JSON.readTree(ok("list", "--json").stdout());
            CellarCli.Run show = ok("show", "latest", "-d", HARD, "--json");

            assertThat(list.stdout()).contains(ledgerBackup).contains(hardBackup).containsPattern(damaged + " +DAMAGED +backups/" + damaged)
                    .contains("1 damaged manifest(s)");
            assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(13);
            assertThat(strict.stdout()).contains(ledgerBackup).contains("DAMAGED");
            assertThat(listed.get("backups").findValuesAsText("id")).containsExactly(ledgerBackup, hardBackup);
            assertThat(listed.get("damaged").get(0).get("objectKey").asText()).isEqualTo("backups/" + damaged);
            JsonNode shown = JSON.readTree(show.stdout());
            assertThat(shown.get("id").asText()).isEqualTo(hardBackup);
            assertThat(shown.get("damagedManifestsSkipped").get(0).get("id").asText()).isEqualTo(damaged);
            assertThat(show.stderr()).contains("skipped backup " + damaged).contains("backups/" + damaged);
        } finally {
            Files.write(manifest, original);
        }
    }

    private String backUp(String database) throws IOException {
        return JSON.readTree(ok("backup", "logical", "-d", database, "--json").stdout()).get("manifest").get("id").asText();
    }

    private CellarCli.Run ok(String... args) {
        CellarCli.Run run = cli.run(args);
        assertThat(run.exitCode()).as("cellar " + String.join(" ", args) + "\n" + run).isZero();
        return run;
    }

    private Map<String, String> checksums(String database) throws SQLException {
        try (Connection c = cluster.connect(database)) {
            return TableChecksums.of(c);
        }
    }

    private boolean databaseExists(String name) throws SQLException {
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    private int scratchDatabases() throws SQLException {
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'cellar\\_restore\\_test\\_%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
