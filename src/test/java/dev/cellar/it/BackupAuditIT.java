package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.ConfigKey;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backups that do not finish leave their reason in the audit trail, read back with
 * {@code cellar audit --json}: a failure before the backup could start (its database dropped, a
 * data directory that is not one), a pg_dump killed mid-way, SIGTERM while a logical or physical
 * backup runs, and SIGKILL, which the killed process cannot record: the next command that breaks
 * its lock records it as abandoned.
 */
class BackupAuditIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("audit-it-passphrase");
    private static final String DATABASE = "Kitchen";

    private static LocalCluster cluster;
    private static Path workDir;
    private static WrappedPgDump pgDump;
    private static CellarCli cli;

    @BeforeAll
    static void startClusterAndRepository() throws Exception {
        workDir = TestFolders.create("cellar-audit-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-audit-it-pg"));
        cluster.createDatabase(DATABASE);
        cluster.execute(DATABASE, "CREATE SCHEMA \"Line\"; CREATE TABLE \"Line\".\"Tickets\" (\"TicketId\" int PRIMARY KEY, "
                + "dish text NOT NULL, fired_at timestamptz NOT NULL); INSERT INTO \"Line\".\"Tickets\" "
                + "SELECT g, 'dish ' || g % 40, timestamptz '2026-03-01 18:00+01' + g * interval '30 seconds' FROM generate_series(1, 2000) g");
        pgDump = WrappedPgDump.create(workDir, cluster, cluster.binaries().version("pg_dump").toString());
        cli = new CellarCli(Map.of(
                "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_REPOSITORY_PATH", workDir.resolve("repo").toString(),
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", DATABASE,
                ConfigKey.POSTGRES_BIN_DIR.env(), pgDump.folder().toString()));
        CellarCli.Run init = cli.run("init");
        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(init.stdout()).as("a new repository says its format").contains("format 2, cipher AES-256-GCM");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void backupOfADroppedDatabaseIsAuditedAsFailedWithTheError() {
        cluster.createDatabase("Closed");
        cluster.dropDatabase("Closed");

        CellarCli.Run run = cli.with("CELLAR_DATABASE_NAME", "Closed").run("backup", "logical");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE.exitCode());
        JsonNode last = last(records(), "backup.logical");
        assertThat(last.get("result").asText()).isEqualTo(AuditRecord.FAILED);
        assertThat(last.get("target").asText()).endsWith("/Closed");
        assertThat(last.get("detail").asText()).contains("\"Closed\" does not exist");
    }

    @Test
    void pgDumpKilledMidwayIsAuditedAsFailedWithItsExit() throws Exception {
        Process backup = startStalledBackup("backup", "logical");
        ProcessHandle stalledDump = backup.descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")).findFirst()
                .orElseThrow(() -> new AssertionError("no stalled pg_dump under cellar"));
        stalledDump.destroy();
        assertThat(backup.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(backup.exitValue()).as(CellarCli.stderrSoFar(backup)).isEqualTo(ErrorCode.EXTERNAL_TOOL_FAILED.exitCode());
        List<JsonNode> own = ownRecords("backup.logical", 2);
        assertThat(own.get(0).get("result").asText()).isEqualTo(AuditRecord.STARTED);
        assertThat(own.get(1).get("result").asText()).isEqualTo(AuditRecord.FAILED);
        assertThat(own.get(1).get("detail").asText()).startsWith(own.get(0).get("detail").asText() + ": ")
                .contains("pg_dump failed while dumping").contains("exit code 143");
    }

    @Test
    void sigtermDuringALogicalBackupIsAuditedAsInterrupted() throws Exception {
        Process backup = startStalledBackup("backup", "logical");
        List<ProcessHandle> children = backup.descendants().toList();
        backup.destroy();  // SIGTERM, as systemd stops a unit or an operator runs kill
        assertThat(backup.waitFor(60, TimeUnit.SECONDS)).isTrue();
        children.forEach(ProcessHandle::destroyForcibly);

        List<JsonNode> own = ownRecords("backup.logical", 2);
        assertThat(own.get(0).get("result").asText()).isEqualTo(AuditRecord.STARTED);
        assertThat(own.get(1).get("result").asText()).isEqualTo(AuditRecord.INTERRUPTED);
        assertThat(own.get(1).get("detail").asText()).startsWith(own.get(0).get("detail").asText() + ": ")
                .contains("stopped by a signal");
        assertThat(own.get(1).get("target").asText()).endsWith("/" + DATABASE);
    }

    @Test
    void killedBackupIsRecordedAsAbandonedByTheCommandThatBreaksItsLock() throws Exception {
        Process backup = startStalledBackup("backup", "logical");
        List<ProcessHandle> children = backup.descendants().toList();
        backup.destroyForcibly();  // SIGKILL: the process itself can write nothing
        assertThat(backup.waitFor(60, TimeUnit.SECONDS)).isTrue();
        children.forEach(ProcessHandle::destroyForcibly);

        CellarCli.Run unlock = cli.run("unlock");
        assertThat(unlock.exitCode()).as(unlock.toString()).isZero();

        List<JsonNode> records = records();
        assertThat(last(records, "backup.logical").get("result").asText()).as("the killed backup's own last word")
                .isEqualTo(AuditRecord.STARTED);
        List<JsonNode> abandoned = records.stream().filter(r -> r.get("operation").asText().equals("lock.stale"))
                .filter(r -> r.get("detail").asText().contains("(pid " + backup.pid() + ")")).toList();
        assertThat(abandoned).singleElement().satisfies(r -> {
            assertThat(r.get("result").asText()).isEqualTo(AuditRecord.ABANDONED);
            assertThat(r.get("target").asText()).isEqualTo("backup logical " + DATABASE);
        });
    }

    @Test
    void physicalBackupRefusedBeforeItStartsIsAuditedAsFailed() throws Exception {
        Path notADataDirectory = Files.createDirectories(workDir.resolve("not-pgdata"));

        CellarCli.Run run = cli.run("backup", "physical", "--data-dir", notADataDirectory.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.CONFIG_INVALID.exitCode());
        JsonNode last = last(records(), "backup.physical");
        assertThat(last.get("result").asText()).isEqualTo(AuditRecord.FAILED);
        assertThat(last.get("detail").asText()).contains(notADataDirectory + " is not a PostgreSQL data directory");
    }

    @Test
    void sigtermDuringAPhysicalBackupIsAuditedAsInterrupted() throws Exception {
        // the test holds gc's exclusive lock, so the backup waits for it with its server session open
        Repository repository = Repository.open(new LocalStorage(workDir.resolve("repo")), RepositorySecret.passphrase(PASSPHRASE.toCharArray()),
                Clock.systemUTC());
        try (RepositoryLock.Held gc = repository.locks().acquireExclusive("gc (held by BackupAuditIT)", Duration.ZERO)) {
            Process backup = cli.start("backup", "physical", "--lock-wait", "300");
            awaitSessionOf(backup);
            backup.destroy();
            assertThat(backup.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        List<JsonNode> interrupted = records().stream().filter(r -> r.get("operation").asText().equals("backup.physical"))
                .filter(r -> r.get("result").asText().equals(AuditRecord.INTERRUPTED)).toList();
        assertThat(interrupted).as("the interrupted physical backup (the only one this class interrupts)").singleElement()
                .satisfies(r -> assertThat(r.get("detail").asText()).contains("stopped by a signal"));
    }

    /** Starts cellar with a pg_dump that stalls, and returns once the dump has begun (the backup is under way). */
    private static Process startStalledBackup(String... args) throws Exception {
        int started = pgDump.dumpsStarted();
        Process backup = cli.with(WrappedPgDump.STALL, "1").start(args);
        try {
            pgDump.awaitDumpsStarted(started + 1, Duration.ofSeconds(90));
        } catch (AssertionError e) {
            backup.destroyForcibly();
            throw new AssertionError(e.getMessage() + "; cellar said: " + CellarCli.stderrSoFar(backup), e);
        }
        return backup;
    }

    /** Waits until the backup process has its session on the server: it is past its start, inside the audited run. */
    private static void awaitSessionOf(Process backup) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            while (Instant.now().isBefore(deadline) && backup.isAlive()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + DATABASE
                        + "' AND backend_type = 'client backend'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        backup.destroyForcibly();
        throw new AssertionError("the physical backup never connected; cellar said: " + CellarCli.stderrSoFar(backup));
    }

    /** The last {@code count} records of {@code operation}: those of the backup that just ran. */
    private static List<JsonNode> ownRecords(String operation, int count) throws Exception {
        List<JsonNode> of = records().stream().filter(r -> r.get("operation").asText().equals(operation)).toList();
        assertThat(of).hasSizeGreaterThanOrEqualTo(count);
        return of.subList(of.size() - count, of.size());
    }

    private static JsonNode last(List<JsonNode> records, String operation) {
        return records.stream().filter(r -> r.get("operation").asText().equals(operation)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + operation + " record in the audit trail"));
    }

    private static List<JsonNode> records() {
        CellarCli.Run audit = cli.run("audit", "--json");
        assertThat(audit.exitCode()).as("audit chain intact: " + audit).isZero();
        List<JsonNode> records = new ArrayList<>();
        try {
            JSON.readTree(audit.stdout()).get("records").forEach(records::add);
        } catch (java.io.IOException e) {
            throw new AssertionError(audit.toString(), e);
        }
        return records;
    }
}
