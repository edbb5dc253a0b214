package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.Repository;
import dev.cellar.wal.WalFileName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Damage a drill must find, each on its own: a WAL segment gone from the repository, a chunk of
 * the physical backup flipped, a foreign key violated in the source (triggers off) before the
 * logical backup, a sequence set below its column's max before the backup. Each fails the drill
 * (exit 24) with its own reason, and each drill leaves no scratch cluster, folder or database.
 * The source is restaurant_ordering (scale 1); the two logical cases drill copies of it made
 * with CREATE DATABASE ... TEMPLATE, so each copy carries one damage only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DrillDamageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = TestDatabases.RESTAURANT;
    private static final String FK_DB = "drill_damage_fk";
    private static final String SEQ_DB = "drill_damage_seq";

    private ArchivedCluster archived;
    private Path workDir;
    private long classStarted;

    @BeforeAll
    void loadAndBackUp() throws Exception {
        classStarted = System.nanoTime();
        archived = ArchivedCluster.start(Map.of());
        TestDatabases.loadRestaurant(archived.cluster(), DB, 1);
        archived.cluster().execute("postgres", "CREATE DATABASE " + FK_DB + " TEMPLATE " + DB);
        archived.cluster().execute("postgres", "CREATE DATABASE " + SEQ_DB + " TEMPLATE " + DB);
        // a cook of a cafe that does not exist, written with the foreign-key triggers off
        archived.cluster().execute(FK_DB, "SET session_replication_role = replica; "
                + "INSERT INTO employees (cafe_id, full_name, email, phone, role, hourly_rate, hired_on) "
                + "VALUES (999999, 'Ghost Cook', 'ghost@example.org', '000', 'cook', 12.50, DATE '2024-01-01')");
        archived.cluster().execute(SEQ_DB, "SELECT setval(pg_get_serial_sequence('employees', 'id'), 1)");
        archived.cellarOk("backup", "logical", "-d", FK_DB);
        archived.cellarOk("backup", "logical", "-d", SEQ_DB);
        archived.cellarOk("backup", "physical");
        // WAL archived well past the backup, so one segment can go missing between the backup and the latest
        for (int i = 0; i < 3; i++) {
            archived.cluster().execute(DB, "CREATE TABLE IF NOT EXISTS drill_damage_wal (n int); INSERT INTO drill_damage_wal VALUES (" + i + ")");
            archived.switchAndAwaitArchived(Duration.ofSeconds(60));
        }
        workDir = archived.home().resolve("drill-work");
        System.out.println("DrillDamageIT: set-up took " + Duration.ofNanos(System.nanoTime() - classStarted).toMillis() + " ms");
    }

    @AfterAll
    void stop() {
        if (archived != null) {
            archived.close();
        }
        System.out.println("DrillDamageIT: the class took " + Duration.ofNanos(System.nanoTime() - classStarted).toMillis() + " ms");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        DrillLeftovers.assertNone(archived.cluster(), workDir);
    }

    private JsonNode failedDrill(String database, String... args) throws Exception {
        String[] all = Stream.concat(Stream.of("drill", "-d", database, "--json"), Stream.of(args)).toArray(String[]::new);
        long started = System.nanoTime();
        CellarCli.Run run = archived.cellarWith("CELLAR_DRILL_WORK_DIR", workDir.toString(), all);
        System.out.println("DrillDamageIT: drill " + String.join(" ", args) + " of " + database + " took "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(24);
        JsonNode report = JSON.readTree(run.stdout());
        assertThat(report.path("failures")).as(run.stdout()).isNotEmpty();
        System.out.println("DrillDamageIT: failures " + report.path("failures"));
        return report;
    }

    @Test
    @Order(1)
    void aForeignKeyViolatedInTheSourceFailsTheLogicalCopysForeignKeyCheck() throws Exception {
        JsonNode report = failedDrill(FK_DB, "--only", "logical");
        String failures = report.path("failures").toString();
        assertThat(failures).as(report.toPrettyString()).contains("employees_cafe_fk");
        assertThat(failures).doesNotContain("sequence");
    }

    @Test
    @Order(2)
    void aSequenceBelowItsColumnsMaxFailsTheSequencesCheck() throws Exception {
        JsonNode report = failedDrill(SEQ_DB, "--only", "logical");
        String failures = report.path("failures").toString();
        assertThat(failures).as(report.toPrettyString()).contains("employees_id_seq");
        assertThat(failures).doesNotContain("employees_cafe_fk");
    }

    @Test
    @Order(3)
    void aFlippedChunkOfThePhysicalBackupFailsTheRestoreAsDamaged() throws Exception {
        Path chunk = chunkOfThePhysicalBackup();
        byte[] original = Files.readAllBytes(chunk);
        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x01;
        Files.write(chunk, flipped);
        try {
            JsonNode report = failedDrill(DB, "--only", "physical");
            String failures = report.path("failures").toString();
            assertThat(failures).as(report.toPrettyString()).containsIgnoringCase("authenticat").contains(chunk.getFileName().toString());
        } finally {
            Files.write(chunk, original);
        }
    }

    @Test
    @Order(4)
    void aWalSegmentMissingFromTheRepositoryFailsTheDrillNamingIt() throws Exception {
        BackupManifest backup = physicalBackup();
        long segmentSize = backup.physical().walSegmentSize();
        long stop = WalFileName.parse(backup.physical().stopWal()).segmentNumber(segmentSize);
        WalFileName missing = archivedSegments().stream()
                .filter(f -> f.kind() == WalFileName.Kind.SEGMENT && f.segmentNumber(segmentSize) == stop + 1)
                .findFirst().orElseThrow(() -> new AssertionError("no archived segment after the backup's " + backup.physical().stopWal()));
        Path stored = archived.home().resolve("repo").resolve(missing.objectKey());
        assertThat(stored).exists();
        Path aside = archived.home().resolve(missing.name() + ".aside");
        Files.move(stored, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
            JsonNode report = failedDrill(DB, "--only", "physical");
            String failures = report.path("failures").toString();
            assertThat(failures).as(report.toPrettyString()).contains(missing.name()).containsIgnoringCase("missing");
        } finally {
            Files.move(aside, stored, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private BackupManifest physicalBackup() {
        Repository repository = archived.openRepository();
        return new BackupCatalog(repository).all().stream().filter(BackupManifest::isPhysical)
                .max(Comparator.comparing(BackupManifest::finishedAt)).orElseThrow();
    }

    private List<WalFileName> archivedSegments() {
        return archived.walArchive(archived.openRepository()).list();
    }

    /** The stored object of a chunk that the backup's biggest file uses (a table's data, read by every restore). */
    private Path chunkOfThePhysicalBackup() {
        BackupManifest backup = physicalBackup();
        ChunkRef ref = backup.physical().files().stream().filter(f -> !f.chunks().isEmpty())
                .max(Comparator.comparingLong(f -> f.size())).orElseThrow().chunks().get(0);
        Path repo = archived.home().resolve("repo");
        try (Stream<Path> files = Files.walk(repo.resolve("chunks"))) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(ref.id())).findFirst()
                    .orElseThrow(() -> new AssertionError("no stored object for chunk " + ref.id()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
