package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.config.ConfigKey;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.repo.AuditRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cellar recover} through the real jar on one cluster and one logical backup. The hooks are
 * scripts that append their name and the marker row they see to a log, so the log proves the order
 * pre-hooks, restore, post-hooks: the pre-hooks see the row as changed after the backup, the
 * post-hooks see it as the backup has it.
 */
class RecoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "bistro";
    private static final String AT_BACKUP = "at-backup";
    private static final String CHANGED = "changed-after-backup";

    private static LocalCluster cluster;
    private static Path workDir;
    private static Path hookLog;
    private static CellarCli cli;

    @BeforeAll
    static void clusterWithOneBackup() throws Exception {
        workDir = TestFolders.create("cellar-recover-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-recover-it-pg"));
        cluster.createDatabase(DATABASE);
        cluster.execute(DATABASE, "CREATE TABLE marker (note text NOT NULL); INSERT INTO marker VALUES ('" + AT_BACKUP + "');"
                + "CREATE TABLE orders (id int PRIMARY KEY, dish text NOT NULL); "
                + "INSERT INTO orders SELECT g, 'dish ' || g % 17 FROM generate_series(1, 2000) g");
        hookLog = workDir.resolve("hooks.log");
        for (String hook : List.of("pre-1", "pre-2", "post-1", "post-2")) {
            script(hook, "echo \"" + hook + " $(" + psql() + " -tAc 'SELECT note FROM marker')\" >> " + hookLog);
        }
        script("pre-fails", "echo pre-fails >> " + hookLog + "; echo 'cannot stop restaurant-api' >&2; exit 3");
        cli = new CellarCli(Map.of(
                "CELLAR_PASSPHRASE", "recover-it-passphrase",
                "CELLAR_REPOSITORY_PATH", workDir.resolve("repo").toString(),
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", DATABASE,
                ConfigKey.POSTGRES_BIN_DIR.env(), cluster.binaries().path("pg_dump").getParent().toString(),
                ConfigKey.RECOVER_PRE_HOOKS.env(), hookCommand("pre-1") + "," + hookCommand("pre-2"),
                ConfigKey.RECOVER_POST_HOOKS.env(), hookCommand("post-1") + "," + hookCommand("post-2")));
        assertThat(cli.run("init").exitCode()).isZero();
        CellarCli.Run backup = cli.run("backup", "logical");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void changeTheDataAfterTheBackup() throws IOException {
        cluster.execute(DATABASE, "UPDATE marker SET note = '" + CHANGED + "'; DELETE FROM orders WHERE id <= 100; "
                + "INSERT INTO orders SELECT g, 'late' FROM generate_series(5001, 5050) g ON CONFLICT DO NOTHING");
        Files.deleteIfExists(hookLog);
    }

    @Test
    void runsThePreHooksRestoresThenRunsThePostHooksAndRecordsIt() throws Exception {
        CellarCli.Run run = cli.run("recover", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllLines(hookLog)).containsExactly("pre-1 " + CHANGED, "pre-2 " + CHANGED, "post-1 " + AT_BACKUP, "post-2 " + AT_BACKUP);
        assertBackAtTheBackup();
        assertThat(run.stdout()).contains("-> pre-hook", "-> restore", "-> post-hook", "recovered database " + DATABASE);
        JsonNode record = lastRecover();
        assertThat(record.get("result").asText()).isEqualTo(AuditRecord.OK);
        assertThat(record.get("detail").asText()).contains("pre-hook '" + hookCommand("pre-1") + "' done", "restore done",
                "post-hook '" + hookCommand("post-2") + "' done");
    }

    @Test
    void theJsonResultListsEveryStepWithItsOutcome() throws Exception {
        CellarCli.Run run = cli.run("recover", "--yes", "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode result = JSON.readTree(run.stdout());
        List<String> steps = new ArrayList<>();
        result.get("steps").forEach(s -> steps.add(s.get("name").asText() + ":" + s.get("outcome").asText()));
        assertThat(steps).containsExactly("backup:DONE", "sessions:DONE", "pre-hook:DONE", "pre-hook:DONE", "keep-out:DONE", "restore:DONE",
                "allow-connections:DONE", "post-hook:DONE", "post-hook:DONE");
        assertThat(result.get("steps").get(5).get("started").isNull()).isFalse();
        assertBackAtTheBackup();
    }

    @Test
    void refusesADatabaseInUseNamingTheSessionAndRunsNothing() throws Exception {
        try (Connection application = connectAs("restaurant-api")) {
            CellarCli.Run run = cli.run("recover", "--yes");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.DATABASE_IN_USE.exitCode());
            assertThat(run.stderr()).contains("database " + DATABASE + " is in use", "1 session of user " + cluster.superuser(),
                    "application 'restaurant-api'", "--force");
            assertThat(hookLog).doesNotExist();
            assertStillChanged();
            assertThat(stillOpen(application)).isTrue();
        }
    }

    @Test
    void withForceEndsTheSessionsAndRecovers() throws Exception {
        try (Connection application = connectAs("restaurant-api")) {
            CellarCli.Run run = cli.run("recover", "--yes", "--force");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).contains("ended 1 session of user " + cluster.superuser());
            assertThat(stillOpen(application)).as("the application's session was terminated").isFalse();
        }
        assertBackAtTheBackup();
        assertThat(scalar("postgres", "SELECT datallowconn::text FROM pg_database WHERE datname = '" + DATABASE + "'")).isEqualTo("true");
    }

    @Test
    void aFailingPreHookStopsBeforeTheDatabaseIsTouchedAndSkipsThePostHooks() throws Exception {
        CellarCli.Run run = cli.with(ConfigKey.RECOVER_PRE_HOOKS.env(), hookCommand("pre-1") + "," + hookCommand("pre-fails") + ","
                + hookCommand("pre-2")).run("recover", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.HOOK_FAILED.exitCode());
        assertThat(Files.readAllLines(hookLog)).containsExactly("pre-1 " + CHANGED, "pre-fails");
        assertThat(run.stdout()).contains("cannot stop restaurant-api", "exited with code 3", "post-hooks were not run",
                "these pre-hooks ran: " + hookCommand("pre-1"));
        assertStillChanged();
        assertThat(lastRecover().get("result").asText()).isEqualTo(AuditRecord.FAILED);
    }

    @Test
    void aDryRunPrintsEveryStepAndChangesNothing() throws Exception {
        try (Connection application = connectAs("restaurant-api")) {
            CellarCli.Run run = cli.run("recover", "--dry-run");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).contains("pre-hook", hookCommand("pre-1"), hookCommand("pre-2"), "restore", hookCommand("post-2"),
                    "(dry run: not run)", "a real run refuses (exit 25) unless --force", "dry run: nothing was run or changed");
            assertThat(run.stdout().indexOf(hookCommand("pre-2"))).isLessThan(run.stdout().indexOf("restore backup"));
            assertThat(run.stdout().indexOf("restore backup")).isLessThan(run.stdout().indexOf(hookCommand("post-1")));
            assertThat(hookLog).doesNotExist();
            assertStillChanged();
            assertThat(stillOpen(application)).isTrue();
        }
    }

    @Test
    void aDatabaseMustBeNamed() {
        CellarCli.Run run = cli.with("CELLAR_DATABASE_NAME", null).run("recover", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.USAGE.exitCode());
        assertThat(run.stderr()).contains("none is named", "-d NAME");
    }

    private static void assertBackAtTheBackup() throws SQLException {
        assertThat(scalar(DATABASE, "SELECT note FROM marker")).isEqualTo(AT_BACKUP);
        assertThat(scalar(DATABASE, "SELECT count(*) || '/' || max(id) FROM orders")).isEqualTo("2000/2000");
    }

    private static void assertStillChanged() throws SQLException {
        assertThat(scalar(DATABASE, "SELECT note FROM marker")).isEqualTo(CHANGED);
        assertThat(scalar(DATABASE, "SELECT count(*) FROM orders WHERE dish = 'late'")).isEqualTo("50");
    }

    private static String scalar(String db, String sql) throws SQLException {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Connection connectAs(String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", cluster.superuser());
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(cluster.jdbcUrl(DATABASE), properties);
    }

    private static boolean stillOpen(Connection connection) {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static JsonNode lastRecover() throws IOException {
        CellarCli.Run audit = cli.run("audit", "--json");
        assertThat(audit.exitCode()).as(audit.toString()).isZero();
        JsonNode last = null;
        for (JsonNode r : JSON.readTree(audit.stdout()).get("records")) {
            if (r.get("operation").asText().equals("recover")) {
                last = r;
            }
        }
        assertThat(last).as("a recover record in " + audit.stdout()).isNotNull();
        return last;
    }

    private static String psql() {
        return cluster.binaries().path("psql") + " -h " + cluster.host() + " -p " + cluster.port() + " -U " + cluster.superuser() + " -d " + DATABASE;
    }

    private static String hookCommand(String name) {
        return "sh " + workDir.resolve(name + ".sh");
    }

    private static void script(String name, String body) throws IOException {
        Path file = workDir.resolve(name + ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
