package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PostgresServers;
import dev.cellar.pg.TableChecksums;
import dev.cellar.repo.Repository;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The key round trips on one PostgreSQL major, through the real CLI: WAL archived by
 * {@code cellar wal push} and streamed by {@code cellar wal stream}, a full and an incremental
 * physical backup, point-in-time recovery to a marker from each, and a logical backup and
 * restore with the machine's pg_dump (or its refusal, before anything is written, when the
 * server is newer than that pg_dump). One subclass per major keeps the matrix lean: one cluster
 * per class, a small database of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PostgresMajorRoundTripContract {
    private static final String DB = "Bistro";
    private static final String SLOT = "cellar_matrix";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    private final int major;
    private ArchivedCluster archived;
    private PgBinaries clients;
    private Process stream;
    private Instant classStarted;

    /** A point recovery can target: when it was taken and every table's checksum there. */
    private record Marker(String restorePoint, Instant time, Map<String, String> checksums) {
    }

    PostgresMajorRoundTripContract(int major) {
        this.major = major;
    }

    @BeforeAll
    void startClusterAndStream() throws Exception {
        classStarted = Instant.now();
        PgBinaries bins = PostgresServers.binaries(major);
        clients = PgBinaries.locate(null);
        // commands that start a server of this major (restore pitr --start) find it in postgres.bin-dir, beside
        // the machine's client programs, as on a machine where this major is installed
        Map<String, String> env = PostgresServers.installed(major) ? Map.of()
                : Map.of("CELLAR_POSTGRES_BIN_DIR", PostgresServers.binDirWithMachineClients(major).toString());
        archived = ArchivedCluster.start(Map.of("synchronous_commit", "on"), RepositoryPlacement.folder(), bins, env);
        assertThat(archived.cluster().serverVersion().major()).isEqualTo(major);
        archived.cluster().createDatabase(DB);
        execute(SCHEMA);
        execute(ROWS.formatted(1, 400));
        Instant loaded = Instant.now();
        archived.cellarOk("backup", "physical");
        System.out.printf("PostgreSQL %d: cluster and data in %d ms, full backup in %d ms%n", major,
                Duration.between(classStarted, loaded).toMillis(), Duration.between(loaded, Instant.now()).toMillis());
        stream = archived.startCellar("wal", "stream", "--create-slot", "--slot", SLOT, "--status-interval", "0");
        awaitStreaming();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (stream != null) {
                stream.destroy();
                if (!stream.waitFor(30, TimeUnit.SECONDS)) {
                    stream.destroyForcibly();
                }
            }
        } finally {
            if (archived != null) {
                archived.close();
            }
            System.out.printf("PostgreSQL %d round trips took %d s%n", major, Duration.between(classStarted, Instant.now()).toSeconds());
        }
    }

    @Test
    @Order(1)
    void walStreamShipsTheSegmentBeingWrittenBeforeItIsArchived() throws Exception {
        execute(ROWS.formatted(401, 450));
        String segment = query("SELECT pg_walfile_name(pg_current_wal_flush_lsn())");
        Instant deadline = Instant.now().plusSeconds(30);
        while (!walArchived().contains(segment + ".partial")) {
            assertThat(stream.isAlive()).as("cellar wal stream runs: " + CellarCli.stderrSoFar(stream)).isTrue();
            assertThat(Instant.now()).as("the stream ships " + segment + ".partial: " + CellarCli.stderrSoFar(stream)).isBefore(deadline);
            Thread.sleep(200);
        }
        String said = CellarCli.stderrSoFar(stream);
        // pg_receivewal streams from servers up to its own major; newer ones get the built-in receiver
        assertThat(said).contains(major <= clients.version("pg_receivewal").major() ? "pg_receivewal" : "built-in receiver");
    }

    @Test
    @Order(2)
    void recoveryToAMarkerFromTheFullAndFromTheIncrementalBackupFindsEveryTableAsItWas() throws Exception {
        execute(CHANGES.formatted(1));
        Marker first = mark("before-incremental");
        execute(ROWS.formatted(451, 700));
        String incremental = JSON.readTree(archived.cellarOk("backup", "physical", "--type", "incr", "--json").stdout()).path("id").asText();
        execute(CHANGES.formatted(2));
        Marker second = mark("after-incremental");
        execute(CHANGES.formatted(3));
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));

        // paused at the target, the restored server answers read-only queries there
        JsonNode fromFull = restoreTo(first, "paused at the target", "--target-time", PG_TIME.format(first.time().atOffset(ZoneOffset.UTC)),
                "--target-action", "pause");
        assertThat(fromFull.path("backupId").asText()).isNotEqualTo(incremental);
        JsonNode fromIncremental = restoreTo(second, "promoted", "--target-name", second.restorePoint());
        assertThat(fromIncremental.path("backupId").asText()).isEqualTo(incremental);
    }

    @Test
    @Order(3)
    void logicalBackupWithTheMachinesPgDumpRestoresEveryTableOrIsRefusedBeforeAnythingIsWritten() throws Exception {
        int pgDumpMajor = clients.version("pg_dump").major();
        if (major <= pgDumpMajor) {
            JsonNode backup = JSON.readTree(archived.cellarOk("backup", "logical", "-d", DB, "--json").stdout());
            String id = backup.path("manifest").path("id").asText(backup.path("id").asText());
            archived.cellarOk("restore", "logical", id, "--target-db", DB + "_restored");
            assertThat(checksums(archived.cluster().port(), DB + "_restored")).isEqualTo(checksums(archived.cluster().port(), DB));
            return;
        }
        List<String> before = repositoryRecords();
        CellarCli.Run refused = archived.cellar("backup", "logical", "-d", DB);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(7);
        assertThat(refused.stderr()).contains("pg_dump " + pgDumpMajor + ".").contains("older than the server " + major + ".")
                .contains("PostgreSQL " + major + " client programs");
        // nothing of a backup is written; the trail records the refusal as one failed backup
        List<String> after = repositoryRecords();
        assertThat(after.stream().filter(p -> !p.startsWith("audit")).toList()).as("manifests, chunks and locks after the refusal")
                .isEqualTo(before.stream().filter(p -> !p.startsWith("audit")).toList());
        assertThat(after).as("audit records after the refusal").containsAll(before).hasSize(before.size() + 1);
        JsonNode records = JSON.readTree(archived.cellarOk("audit", "--json").stdout()).path("records");
        JsonNode last = records.get(records.size() - 1);
        assertThat(last.path("operation").asText() + " " + last.path("result").asText()).isEqualTo("backup.logical failed");
        assertThat(last.path("detail").asText()).contains("pg_dump " + pgDumpMajor + ".");
    }

    @Test
    @Order(4)
    void restoreStartRefusesAServerOfAnotherMajorBeforeWritingAnything() {
        Path dir = archived.restoreDir("wrong-major");
        String[] restore = {"restore", "pitr", "-D", dir.toString(), "--start", "--port", Integer.toString(ArchivedCluster.freePort())};
        // the machine's own major: postgres.bin-dir names another major's server; any other major: nothing is
        // configured, and the machine's own server (of another major) is all Cellar finds
        CellarCli.Run run = PostgresServers.installed(major)
                ? archived.cellarWith("CELLAR_POSTGRES_BIN_DIR", PostgresServers.binDir(major + 1).toString(), restore)
                : archived.cellarWith("CELLAR_POSTGRES_BIN_DIR", null, restore);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.stderr()).contains("the data directory is PostgreSQL " + major).contains("postgresql-" + major);
        assertThat(dir).doesNotExist();
    }

    private JsonNode restoreTo(Marker marker, String state, String... target) throws Exception {
        Path dir = archived.restoreDir("pitr-" + marker.restorePoint());
        int port = ArchivedCluster.freePort();
        List<String> args = new java.util.ArrayList<>(List.of("restore", "pitr", "-D", dir.toString(), "--start", "--port",
                Integer.toString(port), "--archive-mode", "off", "--timeout", "120", "--json"));
        args.addAll(List.of(target));
        Instant began = Instant.now();
        JsonNode result = JSON.readTree(archived.cellarOk(args.toArray(String[]::new)).stdout());
        System.out.printf("PostgreSQL %d: recovery to %s from backup %s: %s in %d ms (files %s, recovery %s)%n", major, marker.restorePoint(),
                result.path("backupId").asText(), result.path("state").asText(), Duration.between(began, Instant.now()).toMillis(),
                result.path("filesDuration").asText(), result.path("recoveryDuration").asText());
        try {
            assertThat(result.path("state").asText()).isEqualTo(state);
            assertThat(checksums(port, DB)).as("tables after recovery to " + marker.restorePoint()).isEqualTo(marker.checksums());
            try (Connection c = ArchivedCluster.connect(port, "postgres")) {
                assertThat(c.getMetaData().getDatabaseMajorVersion()).isEqualTo(major);
            }
        } finally {
            archived.stopRestored(dir);
        }
        return result;
    }

    private Marker mark(String name) throws Exception {
        execute("SELECT pg_create_restore_point('" + name + "')");
        Instant time = OffsetDateTime.parse(query("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"))
                .toInstant();
        Map<String, String> checksums = checksums(archived.cluster().port(), DB);
        // the next commit must carry a later timestamp than the marker's time
        Thread.sleep(5);
        return new Marker(name, time, checksums);
    }

    /** Until the stream holds the replication slot: from then on every commit is streamed. */
    private void awaitStreaming() throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!"t".equals(query("SELECT coalesce(bool_or(active), false)::text::char FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'"))) {
            assertThat(stream.isAlive()).as("cellar wal stream runs: " + CellarCli.stderrSoFar(stream)).isTrue();
            assertThat(Instant.now()).as("cellar wal stream holds its slot: " + CellarCli.stderrSoFar(stream)).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private List<String> walArchived() {
        Repository repository = archived.openRepository();
        return archived.walArchive(repository).list().stream().map(WalFileName::name).toList();
    }

    /** Names of the backup manifests, chunks, locks and audit records: what a refused backup must leave as it was (but the trail). */
    private List<String> repositoryRecords() throws IOException {
        Path repository = archived.home().resolve("repo");
        try (Stream<Path> files = Files.walk(repository)) {
            return files.map(p -> repository.relativize(p).toString())
                    .filter(p -> p.startsWith("backups") || p.startsWith("chunks") || p.startsWith("audit") || p.startsWith("locks"))
                    .sorted().toList();
        }
    }

    private static Map<String, String> checksums(int port, String database) throws SQLException {
        try (Connection c = ArchivedCluster.connect(port, database)) {
            return new TreeMap<>(TableChecksums.of(c));
        }
    }

    private void execute(String sql) {
        archived.cluster().execute(DB, sql);
    }

    private String query(String sql) throws SQLException {
        try (Connection c = archived.cluster().connect(DB); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * A small restaurant kitchen, written for these tests: a quoted mixed-case schema and tables,
     * an identity column, a partitioned table with a foreign key, jsonb, numeric money, row-level
     * security and a column grant to a role.
     */
    private static final String SCHEMA = """
            CREATE ROLE "Waiter" NOLOGIN;
            CREATE SCHEMA "Kitchen";
            CREATE TABLE "Kitchen"."Dish" (
                id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                "Name" text NOT NULL UNIQUE,
                price numeric(8,2) NOT NULL CHECK (price > 0),
                tags jsonb NOT NULL DEFAULT '{}');
            CREATE TABLE "Kitchen"."Ticket" (
                id bigint NOT NULL,
                placed date NOT NULL,
                dish_id int NOT NULL REFERENCES "Kitchen"."Dish" (id),
                qty smallint NOT NULL CHECK (qty > 0),
                note text,
                PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
            CREATE TABLE "Kitchen"."Ticket_2025" PARTITION OF "Kitchen"."Ticket" FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE "Kitchen"."Ticket_2026" PARTITION OF "Kitchen"."Ticket" FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE TABLE "Kitchen".staff (id int PRIMARY KEY, name text NOT NULL, salary numeric(10,2), shift text NOT NULL);
            ALTER TABLE "Kitchen".staff ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_shift ON "Kitchen".staff FOR SELECT TO "Waiter" USING (shift = current_user);
            GRANT USAGE ON SCHEMA "Kitchen" TO "Waiter";
            GRANT SELECT (id, name, shift) ON "Kitchen".staff TO "Waiter";
            INSERT INTO "Kitchen"."Dish" ("Name", price, tags)
                SELECT 'dish ' || n, 4.50 + n % 17, jsonb_build_object('vegan', n % 3 = 0, 'spice', n % 5)
                FROM generate_series(1, 40) n;
            INSERT INTO "Kitchen".staff SELECT n, 'cook ' || n, 2100 + n * 13.25, CASE n % 2 WHEN 0 THEN 'early' ELSE 'late' END
                FROM generate_series(1, 12) n;
            """;

    /** Tickets {@code %1$d} to {@code %2$d}, spread over both partitions. */
    private static final String ROWS = """
            INSERT INTO "Kitchen"."Ticket" (id, placed, dish_id, qty, note)
                SELECT n, date '2025-06-01' + (n %% 400), 1 + n %% 40, 1 + n %% 4, repeat('table ' || n %% 23 || ' ', 1 + n %% 5)
                FROM generate_series(%1$d, %2$d) n;
            """;

    /** A round of updates and deletes, different for each round {@code %1$d}. */
    private static final String CHANGES = """
            UPDATE "Kitchen"."Dish" SET price = price + %1$d * 0.25 WHERE id %% 3 = %1$d %% 3;
            UPDATE "Kitchen"."Ticket" SET qty = qty + 1, note = coalesce(note, '') || ' round %1$d' WHERE id %% 7 = %1$d;
            DELETE FROM "Kitchen"."Ticket" WHERE id %% 50 = %1$d;
            UPDATE "Kitchen".staff SET salary = salary * 1.01 WHERE id = %1$d;
            """;
}
