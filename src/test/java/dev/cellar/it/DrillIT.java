package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.drill.DrillSummary;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.report.ReportStore;
import dev.cellar.wal.WalFileName;
import java.nio.charset.StandardCharsets;
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
 * {@code cellar drill} end to end on restaurant_ordering (scale 1) archiving its WAL through the
 * real {@code cellar wal push}, with one logical and one physical backup: first a clean drill, where
 * every copy restores and passes its checks, the report has RTO phases and an RPO, and an RPO
 * objective tighter than archiving achieves fails the drill with that reason alone. Then damage a
 * drill must find, each on its own: a WAL segment gone from the repository, a chunk of
 * the physical backup flipped, a foreign key violated in the source (triggers off) before the
 * logical backup, a sequence set below its column's max before the backup. Each fails the drill
 * (exit 24) with its own reason, and each drill leaves no scratch cluster, folder or database.
 * The source is restaurant_ordering (scale 1); the two logical cases drill copies of it made
 * with CREATE DATABASE ... TEMPLATE, so each copy carries one damage only. One class for both
 * shares the cluster and its backups (one set-up instead of two).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DrillIT {
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
        archived.cellarOk("backup", "logical", "-d", DB);
        archived.cellarOk("backup", "logical", "-d", FK_DB);
        archived.cellarOk("backup", "logical", "-d", SEQ_DB);
        archived.cellarOk("backup", "physical");
        // WAL archived well past the backup, so one segment can go missing between the backup and the latest
        for (int i = 0; i < 3; i++) {
            archived.cluster().execute(DB, "CREATE TABLE IF NOT EXISTS drill_damage_wal (n int); INSERT INTO drill_damage_wal VALUES (" + i + ")");
            archived.switchAndAwaitArchived(Duration.ofSeconds(60));
        }
        workDir = archived.home().resolve("drill-work");
        System.out.println("DrillIT: set-up took " + Duration.ofNanos(System.nanoTime() - classStarted).toMillis() + " ms");
    }

    @AfterAll
    void stop() {
        if (archived != null) {
            archived.close();
        }
        System.out.println("DrillIT: the class took " + Duration.ofNanos(System.nanoTime() - classStarted).toMillis() + " ms");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        DrillLeftovers.assertNone(archived.cluster(), workDir);
    }

    private JsonNode failedDrill(String database, String... args) throws Exception {
        String[] all = Stream.concat(Stream.of("drill", "-d", database, "--json"), Stream.of(args)).toArray(String[]::new);
        long started = System.nanoTime();
        CellarCli.Run run = archived.cellarWith("CELLAR_DRILL_WORK_DIR", workDir.toString(), all);
        System.out.println("DrillIT: drill " + String.join(" ", args) + " of " + database + " took "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(24);
        JsonNode report = JSON.readTree(run.stdout());
        assertThat(report.path("failures")).as(run.stdout()).isNotEmpty();
        System.out.println("DrillIT: failures " + report.path("failures"));
        return report;
    }

    /**
     * One full drill (logical copy, physical copy at the restore point, physical copy at the latest)
     * with an RPO objective of 1 s, which WAL archiving without streaming cannot meet: everything
     * else passes, so the RPO is the one and only reason it fails. One drill for both cases keeps
     * the class short: a passing drill is DrillStreamIT's, and twenty in a row were run by hand
     * (docs/drills.md).
     */
    @Test
    @Order(0)
    void aDrillRestoresEveryCopyChecksThemAndFailsOnlyOnAnRpoTighterThanArchiving() throws Exception {
        long started = System.nanoTime();
        CellarCli.Run run = archived.cellarWith("CELLAR_DRILL_WORK_DIR", workDir.toString(), "drill", "-d", DB, "--json",
                "--rpo-objective", "1s");
        System.out.println("DrillIT: a full drill took " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(24);
        JsonNode report = JSON.readTree(run.stdout());
        assertThat(report.path("failures")).as(run.toString()).hasSize(1);
        assertThat(report.path("failures").get(0).asText()).contains("RPO").contains("exceeds the objective 1.0 s of default");
        String id = report.path("id").asText();
        Repository repository = archived.openRepository();
        ReportStore store = ReportStore.of(repository);
        assertThat(store.ids(ReportStore.DRILL)).contains(id);
        assertThat(store.files(ReportStore.DRILL, id)).contains(DrillSummary.FILE, "report.json", "report.md", "report.html");
        DrillSummary summary = RepositoryJson.read(store.read(ReportStore.DRILL, id, DrillSummary.FILE), DrillSummary.class);
        assertThat(summary.passed()).isFalse();
        assertThat(summary.rto()).isPositive();
        assertThat(summary.rpo()).isGreaterThan(Duration.ofSeconds(1));
        assertThat(summary.rpoObjective()).isEqualTo(Duration.ofSeconds(1));
        assertThat(summary.backupIds()).hasSize(2);
        JsonNode stored = JSON.readTree(store.read(ReportStore.DRILL, id, "report.json"));
        List<String> phases = stored.path("phases").findValuesAsText("name");
        assertThat(phases).contains("fetch + restore files", "WAL replay", "checks", "restore", "heartbeat");
        assertThat(stored.path("copies")).hasSize(3);
        // every check of every copy ran and passed, among them the restore point's marker check
        assertThat(stored.path("copies").findValues("checks").stream().mapToInt(JsonNode::size).sum()).isGreaterThan(50);
        assertThat(stored.path("copies").findValuesAsText("status")).contains("PASSED").doesNotContain("FAILED");
        assertThat(stored.path("copies").findValuesAsText("check")).contains("marker", "sequences", "amcheck", "invariant", "row-counts");
        // the latest copy was recovered to what the archive held at the disaster moment, not to what came after
        assertThat(stored.path("rpo").path("method").asText()).isEqualTo("marker");
        assertThat(stored.path("rpo").path("archivedUpTo").path("lsn").asText()).isNotEmpty();
        String html = new String(store.read(ReportStore.DRILL, id, "report.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("<svg").doesNotContain("<script");
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
