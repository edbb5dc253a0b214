package dev.cellar.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.RetentionConfig;
import dev.cellar.expire.Expire;
import dev.cellar.expire.ExpireResult;
import dev.cellar.it.ArchivedCluster;
import dev.cellar.it.CellarCli;
import dev.cellar.it.ServerUser;
import dev.cellar.pg.PersistentCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The catalog on real backups: a repository with logical and physical (full + incremental)
 * backups, a failed one and an expired one, in two copies, made by the real CLI; the embedded
 * catalog cluster it keeps under the state folder; and the monitoring view's verdicts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ArchivedCluster archived;
    private static Path twoCopies;
    private static Path stateDir;
    private static String firstLogical;
    private static String secondLogical;
    private static String full;
    private static String incremental;

    @BeforeAll
    static void makeRepository() throws Exception {
        archived = ArchivedCluster.start(Map.of());
        archived.cluster().createDatabase("shop");
        archived.cluster().execute("shop", "CREATE TABLE t (id bigserial PRIMARY KEY, v text); INSERT INTO t (v) SELECT md5(g::text) FROM generate_series(1, 500) g");
        firstLogical = id(archived.cellarOk("backup", "logical", "-d", "shop", "--json"));
        full = id(archived.cellarOk("backup", "physical", "--type", "full", "--json"));
        incremental = id(archived.cellarOk("backup", "physical", "--type", "incr", "--json"));
        assertThat(archived.cellar("backup", "logical", "-d", "nosuchdb").exitCode()).isNotZero();
        secondLogical = id(archived.cellarOk("backup", "logical", "-d", "shop", "--json"));
        // three weeks on, expire deletes the older logical backup and the physical full (the incremental's manifest is
        // complete, so it stays); run from here, with a clock the CLI cannot be given
        Repository later = Repository.open(new LocalStorage(archived.home().resolve("repo")),
                RepositorySecret.passphrase(ArchivedCluster.PASSPHRASE.toCharArray()),
                Clock.fixed(Instant.now().plus(Duration.ofDays(21)), ZoneOffset.UTC));
        ExpireResult expired = new Expire(later, new RetentionConfig(10, 7)).run(false, Duration.ZERO);
        assertThat(expired.backupsDeleted()).as("logical %s %s, physical %s %s", firstLogical, secondLogical, full, incremental).containsExactlyInAnyOrder(firstLogical, full);
        ServerUser.giveAway(archived.home().resolve("repo"));
        // a second copy, filled by repo sync
        twoCopies = archived.home().resolve("two-copies.yaml");
        String yaml = Files.readString(archived.config()).replace("repository:\n  path: " + archived.home().resolve("repo") + "\n",
                "repository:\n") + "repositories:\n  local:\n    path: " + archived.home().resolve("repo")
                + "\n  second:\n    path: " + archived.home().resolve("repo2") + "\n";
        Files.writeString(twoCopies, yaml, StandardCharsets.UTF_8);
        ServerUser.giveAway(twoCopies);
        stateDir = archived.home().resolve("state");
        Files.createDirectories(stateDir);
        ServerUser.giveAway(stateDir);
        assertThat(cellar("repo", "sync").exitCode()).isZero();
    }

    @AfterAll
    static void stop() {
        if (stateDir != null) {
            PersistentCluster.stop(stateDir.resolve("catalog"), PgBinaries.locate(null));
        }
        if (archived != null) {
            archived.close();
        }
    }

    @Test
    @Order(1)
    void rebuildOnAFreshCatalogReproducesTheRepositorysOperations() throws Exception {
        CellarCli.Run run = cellar("catalog", "rebuild", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode result = JSON.readTree(run.stdout());
        assertThat(result.path("insertedByOperation").path("backup.logical").asInt()).isEqualTo(3);
        assertThat(result.path("insertedByOperation").path("backup.physical").asInt()).isEqualTo(2);

        List<BackupLogEntry> rows = rows();
        assertThat(rows).hasSize(result.path("inserted").asInt());
        BackupLogEntry first = backup(rows, firstLogical);
        assertThat(first.status()).isEqualTo("ok");
        assertThat(first.backupType()).isEqualTo("logical");
        assertThat(first.database()).isEqualTo("shop");
        assertThat(first.expiredAt()).isNotNull();
        assertThat(first.copies()).isZero();
        BackupLogEntry second = backup(rows, secondLogical);
        assertThat(second.expiredAt()).isNull();
        assertThat(second.copies()).isEqualTo(2);
        assertThat(second.sizeBytes()).isPositive();
        assertThat(second.storedBytes()).isNotNull();
        assertThat(second.duration()).isNotNull();
        assertThat(second.runBy()).contains("@");
        BackupLogEntry physicalFull = backup(rows, full);
        assertThat(physicalFull.backupType()).isEqualTo("physical");
        assertThat(physicalFull.status()).isEqualTo("ok");
        assertThat(physicalFull.expiredAt()).isNotNull();
        assertThat(physicalFull.copies()).isZero();
        assertThat(physicalFull.storedBytes()).as("from its audit record, the manifest being gone").isPositive();
        BackupLogEntry physicalIncremental = backup(rows, incremental);
        assertThat(physicalIncremental.physicalType()).isEqualTo("incremental");
        assertThat(physicalIncremental.copies()).isEqualTo(2);
        assertThat(physicalIncremental.sizeBytes()).isPositive();
        assertThat(physicalIncremental.parentBackupId()).isEqualTo(full);
        assertThat(rows).filteredOn(r -> "failed".equals(r.status()) && "backup.logical".equals(r.operation()))
                .singleElement().satisfies(f -> {
                    assertThat(f.database()).isEqualTo("nosuchdb");
                    assertThat(f.error()).contains("nosuchdb");
                    assertThat(f.backupId()).isNull();
                });
        assertThat(rows).extracting(BackupLogEntry::operation).contains("init", "expire", "repo sync");
        assertThat(rows).allMatch(r -> !"running".equals(r.status()), "every operation ended");
    }

    @Test
    @Order(2)
    void aSecondIngestAddsNothingAndANewBackupAddsExactlyItsRow() throws Exception {
        int before = rows().size();
        JsonNode again = JSON.readTree(cellar("status", "--json").stdout());
        assertThat(again.path("ingest").path("inserted").asInt()).isZero();
        assertThat(again.path("ingest").path("updated").asInt()).isZero();
        assertThat(rows()).hasSize(before);

        String third = id(archived.cellarOk("backup", "logical", "-d", "shop", "--json"));
        JsonNode after = JSON.readTree(cellar("status", "--json").stdout());
        assertThat(after.path("ingest").path("inserted").asInt()).isEqualTo(1);
        assertThat(after.path("ingest").path("insertedByOperation").path("backup.logical").asInt()).isEqualTo(1);
        assertThat(rows()).hasSize(before + 1);
        assertThat(backup(rows(), third).copies()).isEqualTo(1); // written through the one-copy configuration
    }

    @Test
    @Order(3)
    void theViewAndStatusAgreeOnOkWarningAndCritical() throws Exception {
        Instant at = Instant.parse("2030-06-01T12:00:00Z");
        try (Connection c = connect()) {
            BackupLogTable table = new BackupLogTable(c);
            table.upsert(synthetic("db_1h", at.minus(Duration.ofHours(1))));
            table.upsert(synthetic("db_24h", at.minus(Duration.ofHours(24))));
            table.upsert(synthetic("db_26h", at.minus(Duration.ofHours(26))));
            Map<String, String> view = new java.util.HashMap<>();
            try (var p = c.prepareStatement("SELECT database, backup_type, status FROM backup_monitoring_at(?)")) {
                p.setTimestamp(1, java.sql.Timestamp.from(at));
                try (var rs = p.executeQuery()) {
                    while (rs.next()) {
                        view.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
                    }
                }
            }
            assertThat(view).containsEntry("db_1h/logical", "OK").containsEntry("db_24h/logical", "WARNING")
                    .containsEntry("db_26h/logical", "CRITICAL")
                    .containsEntry("nosuchdb/logical", "CRITICAL"); // never succeeded: CRITICAL, not absent
        }
        assertStatus("db_1h", at, 0, "OK");
        assertStatus("db_24h", at, 1, "WARNING");
        assertStatus("db_26h", at, 2, "CRITICAL");
    }

    @Test
    @Order(4)
    void theEmbeddedCatalogIsReusedBySecondProcessAndSurvivesARestart() throws Exception {
        Path folder = stateDir.resolve("catalog");
        String pidBefore = Files.readAllLines(PersistentCluster.dataDir(folder).resolve("postmaster.pid")).get(0);
        int rows = rows().size();
        assertThat(Files.readAllLines(PersistentCluster.dataDir(folder).resolve("postmaster.pid")).get(0))
                .as("this process attached to the server the CLI started").isEqualTo(pidBefore);
        PersistentCluster.stop(folder, PgBinaries.locate(null));
        assertThat(PersistentCluster.dataDir(folder).resolve("postmaster.pid")).doesNotExist();
        CellarCli.Run status = cellar("status", "--no-ingest", "-d", "shop", "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(rows()).hasSize(rows);
        try (Connection c = connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*), count(DISTINCT version), bool_and(success) FROM flyway_schema_history"
                     + " WHERE version IS NOT NULL")) {
            rs.next();
            long migrations;
            try (var files = Files.list(Path.of("src/main/resources/db/catalog"))) {
                migrations = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
            }
            assertThat(rs.getInt(1)).as("every command migrated; each migration ran once").isEqualTo(migrations);
            assertThat(rs.getInt(2)).isEqualTo(migrations);
            assertThat(rs.getBoolean(3)).isTrue();
        }
    }

    private static void assertStatus(String database, Instant at, int exitCode, String status) throws Exception {
        CellarCli.Run run = cellar("status", "--no-ingest", "-d", database, "--at", at.toString(), "--json");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
        JsonNode report = JSON.readTree(run.stdout());
        assertThat(report.path("status").asText()).isEqualTo(status);
        assertThat(report.path("rows").get(0).path("status").asText()).isEqualTo(status);
    }

    private static BackupLogEntry synthetic(String database, Instant started) {
        return new BackupLogEntry("test-" + database, "backup.logical", "logical", null, database, "postgres@test:5432/" + database,
                started, started.plusSeconds(600), "ok", 1L << 20, 1L << 19, Duration.ofMinutes(10), 1, null, "synthetic", null, null,
                null, "test@test", 0, 0);
    }

    private static CellarCli.Run cellar(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--config", twoCopies.toString()));
        return new CellarCli(Map.of("CELLAR_SERVER_STATE_DIR", stateDir.toString())).asServerUser().run(all.toArray(String[]::new));
    }

    private static List<BackupLogEntry> rows() throws SQLException {
        try (Connection c = connect()) {
            return new BackupLogTable(c).all();
        }
    }

    /**
     * The catalog as psql or Grafana reach it: attached to the running embedded cluster (started if
     * stopped), without Flyway, which in this JVM would find the test classpath's Jackson 3 (S3Proxy's).
     */
    private static Connection connect() throws SQLException {
        PersistentCluster.Endpoint endpoint = PersistentCluster.startOrAttach(stateDir.resolve("catalog"), PgBinaries.locate(null));
        Connection c = java.sql.DriverManager.getConnection(endpoint.jdbcUrl(Catalog.EMBEDDED_DATABASE), endpoint.user(), endpoint.password());
        try (var s = c.createStatement()) {
            s.execute("SET search_path = " + Catalog.SCHEMA);
        }
        return c;
    }

    private static BackupLogEntry backup(List<BackupLogEntry> rows, String id) {
        return rows.stream().filter(r -> id.equals(r.backupId())).findFirst().orElseThrow(() -> new AssertionError("no row for " + id + " in " + rows));
    }

    private static String id(CellarCli.Run run) throws Exception {
        JsonNode result = JSON.readTree(run.stdout());
        String id = result.has("manifest") ? result.path("manifest").path("id").asText() : result.path("id").asText();
        assertThat(id).as(run.toString()).isNotEmpty();
        return id;
    }
}
