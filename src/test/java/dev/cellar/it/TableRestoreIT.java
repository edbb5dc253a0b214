package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.SchemaDumps;
import dev.cellar.pg.TableCatalog;
import dev.cellar.pg.TableChecksums;
import dev.cellar.repo.CheapKdfRepositories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restores never leave the target worse than they found it, through the real command line on a
 * real cluster, on a ledger schema as an application has it (src/test/resources/…/ledger-schema.sql):
 * a table restore brings back everything that belongs to the table and the objects built on it,
 * or refuses before touching anything, or (when pg_restore dies halfway) leaves the database
 * exactly as it was; a whole-database restore that fails keeps the old database and names
 * pg_restore's first error.
 */
class TableRestoreIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("table-restore-passphrase");
    private static final String ACCOUNT = "Ledger.Account";
    private static final List<String> ENTRY_TREE = List.of("Ledger.Entry", "Ledger.Entry_2025", "Ledger.Entry_2026", "Ledger.Entry_other");

    private static Path workDir;
    private static LocalCluster cluster;
    private static CellarCli cli;
    private static String ledgerSchema;

    @BeforeAll
    static void startClusterWithRoles() throws IOException {
        workDir = TestFolders.create("cellar-table-restore-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-table-restore-it-pg"));
        cluster.execute("postgres", "CREATE ROLE ledger_owner; CREATE ROLE ledger_reader; CREATE ROLE ledger_clerk; CREATE ROLE ledger_auditor");
        try (InputStream in = TableRestoreIT.class.getResourceAsStream("ledger-schema.sql")) {
            ledgerSchema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        CheapKdfRepositories.init(workDir.resolve("repo"), PASSPHRASE);
        cli = new CellarCli(Map.of(
                "CELLAR_PASSPHRASE", PASSPHRASE,
                "CELLAR_REPOSITORY_PATH", workDir.resolve("repo").toString(),
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_BACKUP_WORK_DIR", workDir.resolve("work").toString()));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void droppedTableComesBackWithEverythingThatBelongsToItAndTheObjectsBuiltOnIt() throws Exception {
        String db = ledger("ledger_dropped");
        String backup = backup(db);
        Map<String, List<String>> catalog = catalog(db, List.of(ACCOUNT));
        Map<String, String> rows = checksums(db);
        // takes the views, the materialized view, two foreign keys, a policy of Invoice and the publication membership along
        cluster.execute(db, "DROP TABLE \"Ledger\".\"Account\" CASCADE");

        CellarCli.Run run = restoreTable(backup, db, ACCOUNT, false);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(catalog(db, List.of(ACCOUNT))).isEqualTo(catalog);
        assertThat(checksums(db)).isEqualTo(rows);
        assertThat(run.stdout()).contains("created from the backup (missing here)", "MATERIALIZED VIEW reporting.tenant_totals",
                "VIEW reporting.overdrawn", "POLICY Ledger.Invoice invoice_tenant");
    }

    @Test
    void droppedPartitionedTableComesBackWithRowSecurityOnItsPartitions() throws Exception {
        String db = ledger("ledger_partitions");
        String backup = backup(db);
        Map<String, List<String>> catalog = catalog(db, ENTRY_TREE);
        Map<String, String> rows = checksums(db);
        assertThat(catalog.get("Ledger.Entry_2026")).anyMatch(line -> line.startsWith("class: r p t t "));
        cluster.execute(db, "DROP TABLE \"Ledger\".\"Entry\" CASCADE");

        CellarCli.Run run = restoreTable(backup, db, "Ledger.Entry", false);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(catalog(db, ENTRY_TREE)).isEqualTo(catalog);
        assertThat(checksums(db)).isEqualTo(rows);
    }

    @Test
    void forcedRestoresOfAPartitionedTableAndOfOnePartitionBringBackTheirRowSecurityAndAttachments() throws Exception {
        String db = ledger("ledger_partitions_forced");
        String backup = backup(db);
        Map<String, List<String>> catalog = catalog(db, ENTRY_TREE);
        Map<String, String> rows = checksums(db);
        String changes = """
                UPDATE "Ledger"."Entry" SET "Memo" = 'corrected' WHERE "EntryId" % 10 = 0;
                ALTER TABLE "Ledger"."Entry_2026" NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
                DROP POLICY "small amounts only" ON "Ledger"."Entry_2026";
                """;
        cluster.execute(db, changes);

        CellarCli.Run tree = restoreTable(backup, db, "Ledger.Entry", true);

        assertThat(tree.exitCode()).as(tree.toString()).isZero();
        assertThat(catalog(db, ENTRY_TREE)).isEqualTo(catalog);
        assertThat(checksums(db)).isEqualTo(rows);

        cluster.execute(db, changes);
        CellarCli.Run partition = restoreTable(backup, db, "Ledger.Entry_2026", true);

        assertThat(partition.exitCode()).as(partition.toString()).isZero();
        assertThat(catalog(db, ENTRY_TREE)).isEqualTo(catalog);
        assertThat(checksums(db).get("Ledger.Entry_2026")).isEqualTo(rows.get("Ledger.Entry_2026"));
    }

    @Test
    void forcedRestoreOverATableWithDependentsRestoresItAndRecreatesThemUnchanged() throws Exception {
        String db = ledger("ledger_force");
        String backup = backup(db);
        Map<String, List<String>> catalog = catalog(db, List.of(ACCOUNT));
        String accountRows = checksums(db).get(ACCOUNT);
        // a day of changes to the table: rows, and most of what describes it
        cluster.execute(db, """
                UPDATE "Ledger"."Account" SET "CreditLimit" = "CreditLimit" + 1 WHERE "AccountId" % 7 = 0;
                INSERT INTO "Ledger"."Account" ("Tenant", "DisplayName") SELECT 'tenant-new', 'Late ' || g FROM generate_series(1, 50) g;
                ALTER TABLE "Ledger"."Account" DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY, REPLICA IDENTITY DEFAULT,
                    SET (fillfactor = 60), ALTER COLUMN "Tenant" SET STATISTICS 50, ENABLE TRIGGER "Account_guard";
                DROP POLICY "Auditors see all" ON "Ledger"."Account";
                REVOKE SELECT ("DisplayName") ON "Ledger"."Account" FROM ledger_clerk;
                COMMENT ON TABLE "Ledger"."Account" IS 'changed';
                DROP STATISTICS "Ledger"."Account_Tenant_Status_stats";
                ALTER PUBLICATION ledger_changes DROP TABLE "Ledger"."Account";
                """);
        Map<String, String> otherRows = checksumsWithout(db, ACCOUNT);

        CellarCli.Run run = restoreTable(backup, db, ACCOUNT, true);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(catalog(db, List.of(ACCOUNT))).isEqualTo(catalog);
        assertThat(checksums(db).get(ACCOUNT)).isEqualTo(accountRows);
        assertThat(checksumsWithout(db, ACCOUNT)).isEqualTo(otherRows);
        assertThat(run.stdout()).contains("dropped and created again from the backup, unchanged", "VIEW Ledger.ActiveAccounts",
                "MATERIALIZED VIEW reporting.tenant_totals", "FK CONSTRAINT Ledger.Invoice Invoice_Account_fk");
    }

    @Test
    void forcedRestoreRefusesWhenADependentChangedOrAppearedSinceTheBackupAndTouchesNothing() throws Exception {
        String db = ledger("ledger_refused");
        String backup = backup(db);
        cluster.execute(db, """
                CREATE VIEW reporting.late_accounts AS SELECT "AccountId" FROM "Ledger"."Account" WHERE "Status" <> 'active';
                GRANT SELECT ON reporting.tenant_totals TO ledger_clerk;
                UPDATE "Ledger"."Account" SET "Status" = 'closed' WHERE "AccountId" % 5 = 0;
                """);
        Snapshot before = snapshot(db);

        CellarCli.Run run = restoreTable(backup, db, ACCOUNT, true);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.TARGET_EXISTS.exitCode());
        assertThat(run.stderr()).contains("nothing was changed", "VIEW reporting.late_accounts: depends on the table but is not in the backup",
                "ACL on TABLE tenant_totals in schema reporting: differs");
        assertThat(snapshot(db)).isEqualTo(before);
    }

    @Test
    void pgRestoreKilledHalfwayLeavesTheTargetExactlyAsItWas() throws Exception {
        String db = ledger("ledger_killed");
        String backup = backup(db);
        cluster.execute(db, """
                UPDATE "Ledger"."Account" SET "DisplayName" = upper("DisplayName") WHERE "AccountId" % 3 = 0;
                CREATE TABLE public.restore_gate (id int);
                """);
        Snapshot before = snapshot(db);
        // Holding the publication makes pg_restore wait at "ALTER PUBLICATION … ADD TABLE", late in its transaction:
        // the old table and its dependents are dropped, the new one is loaded, indexed and referenced by then.
        try (Connection gate = cluster.connect(db)) {
            gate.setAutoCommit(false);
            try (Statement st = gate.createStatement()) {
                st.execute("ALTER PUBLICATION ledger_changes ADD TABLE public.restore_gate");
            }
            Process restore = cli.start("restore", "logical", backup, "--target-db", db, "--table", ACCOUNT, "--force");
            awaitRestoreWaitingForALock(db, restore);
            ProcessHandle pgRestore = restore.toHandle().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("pg_restore")).findFirst()
                    .orElseThrow(() -> new AssertionError("no pg_restore below cellar"));
            pgRestore.destroyForcibly();  // SIGKILL

            assertThat(restore.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String stderr = CellarCli.stderrSoFar(restore);
            assertThat(restore.exitValue()).as(stderr).isEqualTo(ErrorCode.EXTERNAL_TOOL_FAILED.exitCode());
            assertThat(stderr).contains("rolled back", "database " + db + " is unchanged");
            // the gate is still held: nothing may wait for the killed restore's session to notice it is gone
            assertThat(snapshot(db)).isEqualTo(before);
            gate.rollback();
        }
    }

    @Test
    void wholeDatabaseWithRowSecurityForcedUnderAMaterializedViewRestores() throws Exception {
        String db = ledger("ledger_whole");
        String backup = backup(db);

        CellarCli.Run run = cli.run("restore", "logical", backup, "--target-db", "ledger_whole_copy");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(checksums("ledger_whole_copy")).isEqualTo(checksums(db));
        assertThat(catalog("ledger_whole_copy", List.of(ACCOUNT))).isEqualTo(catalog(db, List.of(ACCOUNT)));
    }

    /** Two tables and an index on a SQL function that names its table without the schema: it plans only under pay's search path. */
    private static final String PAYROLL_WITH_SEARCH_PATH_INDEX = """
            CREATE SCHEMA pay;
            SET search_path TO pay, public;
            CREATE TABLE pay.employee (id int PRIMARY KEY, name text NOT NULL);
            INSERT INTO pay.employee SELECT g, 'employee ' || g FROM generate_series(1, 500) g;
            CREATE TABLE pay.timesheet (id int PRIMARY KEY, employee int REFERENCES pay.employee, hours numeric(5, 2));
            INSERT INTO pay.timesheet SELECT g, g, 8 FROM generate_series(1, 500) g;
            CREATE FUNCTION pay.hours_of(e int) RETURNS numeric LANGUAGE sql IMMUTABLE
            AS 'SELECT coalesce(sum(hours), 0) FROM timesheet WHERE employee = e';
            CREATE INDEX employee_by_hours ON pay.employee (pay.hours_of(id));
            """;

    @Test
    void aTableWhoseIndexPlansOnlyUnderTheApplicationsSearchPathIsBackedUpWithItsRowCount() throws Exception {
        String db = "payroll_counted";
        cluster.createDatabase(db);
        cluster.execute(db, PAYROLL_WITH_SEARCH_PATH_INDEX);

        // Cellar counts rows on pg_dump's snapshot; planning count(*) on pay.employee inlines the index's function,
        // which fails under the default search path (this aborted the snapshot and the backup before)
        String backup = backup(db);

        CellarCli.Run show = cli.run("show", backup, "--json");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        List<String> counted = new java.util.ArrayList<>();
        JSON.readTree(show.stdout()).get("tables").forEach(t -> counted.add(t.get("schema").asText() + "." + t.get("name").asText() + " "
                + t.get("rows").asLong()));
        assertThat(counted).containsExactly("pay.employee 500", "pay.timesheet 500");
    }

    @Test
    void forcedDatabaseRestoreThatFailsHalfwayKeepsTheOldDatabaseAndNamesTheFirstError() throws Exception {
        String db = "payroll";
        cluster.createDatabase(db);
        // A classic dump that restores only halfway: an index on a function that finds its table through
        // the search path, which the database sets for every session. pg_restore runs with an empty
        // search path, so the tables and their rows load and then the index fails.
        cluster.execute(db, PAYROLL_WITH_SEARCH_PATH_INDEX + "ALTER DATABASE " + db + " SET search_path TO pay, public;");
        String backup = backup(db);
        cluster.execute(db, "DELETE FROM pay.timesheet WHERE id > 400");
        Snapshot before = snapshot(db);

        CellarCli.Run run = cli.run("restore", "logical", backup, "--target-db", db, "--force");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.EXTERNAL_TOOL_FAILED.exitCode());
        assertThat(run.stderr()).contains("database " + db + " is unchanged", "relation \"timesheet\" does not exist",
                "CREATE INDEX employee_by_hours");
        Matcher log = Pattern.compile("Its whole output: (\\S+)").matcher(run.stderr());
        assertThat(log.find()).as(run.stderr()).isTrue();
        assertThat(Files.readString(Path.of(log.group(1)))).contains("relation \"timesheet\" does not exist");
        assertThat(snapshot(db)).isEqualTo(before);
        assertThat(databases()).noneMatch(name -> name.startsWith(db + "_cellar_"));
    }

    /** What must not change when a restore is refused or fails: rows, the catalog of the restored table, the schema. */
    private record Snapshot(Map<String, String> rows, Map<String, List<String>> catalog, String schema) {
    }

    private static Snapshot snapshot(String db) throws SQLException {
        return new Snapshot(checksums(db), catalog(db, List.of(ACCOUNT)), SchemaDumps.normalizedSchema(cluster, db));
    }

    private static String ledger(String db) {
        cluster.createDatabase(db);
        cluster.execute(db, ledgerSchema);
        return db;
    }

    private static String backup(String db) throws IOException {
        CellarCli.Run run = cli.with("CELLAR_DATABASE_NAME", db).run("backup", "logical", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return JSON.readTree(run.stdout()).get("manifest").get("id").asText();
    }

    private static CellarCli.Run restoreTable(String backup, String db, String table, boolean force) {
        return force ? cli.run("restore", "logical", backup, "--target-db", db, "--table", table, "--force")
                : cli.run("restore", "logical", backup, "--target-db", db, "--table", table);
    }

    private static void awaitRestoreWaitingForALock(String db, Process restore) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (!restore.isAlive()) {
                throw new AssertionError("the restore ended before it waited for the publication: " + CellarCli.stderrSoFar(restore));
            }
            try (Connection c = cluster.connect(db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'cellar restore%' "
                         + "AND wait_event_type = 'Lock' AND query LIKE 'ALTER PUBLICATION%'")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        restore.destroyForcibly();
        throw new AssertionError("pg_restore never waited at ALTER PUBLICATION");
    }

    private static Map<String, List<String>> catalog(String db, List<String> tables) throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            // a lock left behind by a dead restore would make the check wait forever rather than fail
            st.execute("SET lock_timeout = '20s'");
            return TableCatalog.of(c, tables);
        }
    }

    private static Map<String, String> checksums(String db) throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '20s'");
            return TableChecksums.of(c);
        }
    }

    private static Map<String, String> checksumsWithout(String db, String table) throws SQLException {
        Map<String, String> rows = new java.util.TreeMap<>(checksums(db));
        rows.remove(table);
        return rows;
    }

    private static List<String> databases() throws SQLException {
        try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT datname FROM pg_database")) {
            List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }
}
