package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.ProcessRunner;
import dev.cellar.pg.SchemaDumps;
import dev.cellar.pg.TableChecksums;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The disaster where the server is gone: logical backups restored into a freshly initialised
 * cluster that has none of the source's roles. Two clusters for the whole class: the source, with
 * an application whose objects are owned by and granted to a dozen roles (column ACLs, default
 * privileges, RLS policies, a membership chain, database settings, ACL and comment), and a fresh
 * target that is emptied again before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NewServerRestoreIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BISTRO = "bistro_north";
    private static final String ANNEX = "Bistro Annex";
    private static final String VAULT = "vault";
    /** A backup role that is not a superuser: it reads every table but not pg_authid, and may not connect to the vault. */
    private static final String BACKUP_ROLE = "cellar_backup";

    private Path workDir;
    private LocalCluster source;
    private LocalCluster target;
    private CellarCli cli;

    @BeforeAll
    void startClustersAndLoadTheApplication() throws Exception {
        workDir = TestFolders.create("cellar-new-server-it");
        source = LocalCluster.start(TestFolders.create("cellar-new-server-it-source"));
        target = LocalCluster.start(TestFolders.create("cellar-new-server-it-target"));
        source.execute("postgres", resource("roles.sql"));
        source.createDatabase(BISTRO);
        source.execute(BISTRO, resource("bistro.sql"));
        source.execute("postgres", resource("bistro-database.sql").replace(":\"database\"", quote(BISTRO)));
        source.createDatabase(ANNEX);
        source.execute(ANNEX, resource("annex.sql"));
        source.createDatabase(VAULT);
        source.execute(VAULT, "CREATE TABLE secrets (id int PRIMARY KEY); INSERT INTO secrets SELECT generate_series(1, 10)");
        source.execute("postgres", "CREATE ROLE " + BACKUP_ROLE + " LOGIN BYPASSRLS; REVOKE CONNECT ON DATABASE vault FROM PUBLIC;"
                + " GRANT CONNECT ON DATABASE " + BISTRO + " TO " + BACKUP_ROLE);
        for (String database : List.of(BISTRO, ANNEX)) {
            source.execute(database, "DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace"
                    + " WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP"
                    + " EXECUTE format('GRANT USAGE ON SCHEMA %I TO " + BACKUP_ROLE + "', s);"
                    + " EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO " + BACKUP_ROLE + "', s);"
                    + " EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA %I TO " + BACKUP_ROLE + "', s); END LOOP; END $$");
        }
        cli = new CellarCli(Map.of(
                "CELLAR_PASSPHRASE", "new-server-passphrase",
                "CELLAR_REPOSITORY_PATH", workDir.resolve("repo").toString(),
                "CELLAR_DATABASE_HOST", source.host(),
                "CELLAR_DATABASE_USER", source.superuser(),
                "CELLAR_DATABASE_NAME", "postgres",
                "CELLAR_BACKUP_WORK_DIR", workDir.resolve("work").toString()));
        assertSucceeded(cli.run("init"));
    }

    @AfterAll
    void stopClusters() {
        for (LocalCluster cluster : Arrays.asList(source, target)) {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** The target as initdb left it: only its own databases and its bootstrap superuser. */
    @BeforeEach
    void emptyTheTarget() throws SQLException {
        for (String database : query(target, "postgres", "SELECT datname FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1')")) {
            target.dropDatabase(database);
        }
        for (String role : query(target, "postgres", "SELECT rolname FROM pg_roles WHERE oid <> 10 AND rolname NOT LIKE 'pg\\_%'")) {
            target.execute("postgres", "DROP OWNED BY " + quote(role) + " CASCADE; DROP ROLE " + quote(role));
        }
        target.execute("postgres", "ALTER DATABASE postgres RESET ALL");
    }

    @Test
    void freshServerWithCreateRolesGetsTheDatabaseBackWithItsRolesGrantsAndSettings() throws Exception {
        JsonNode backup = json(cli.run("backup", "logical", "-p", port(source), "-d", BISTRO, "--json"));
        List<String> rolesUsed = strings(backup.at("/manifest/globals/database/roles"));
        assertThat(rolesUsed).contains("bistro_owner", "Kitchen Staff", "staff_base", "chef_bob", "auditor", "reporting", "tenant_user",
                "night_batch", "db_connect_only", BACKUP_ROLE).doesNotContain("Annex Clerk", "retired_role");

        JsonNode restored = json(cli.run("restore", "logical", "-p", port(target), "--target-db", BISTRO, "--create-roles",
                "--with-role-passwords", "--json"));

        assertThat(strings(restored.at("/globals/rolesCreated"))).containsExactlyInAnyOrderElementsOf(
                rolesUsed.stream().filter(r -> !r.equals("postgres") && !r.startsWith("pg_")).toList());
        assertThat(checksums(target, BISTRO)).isEqualTo(checksums(source, BISTRO));
        assertThat(SchemaDumps.normalizedCreateScript(target, BISTRO)).isEqualTo(SchemaDumps.normalizedCreateScript(source, BISTRO));
        assertThat(globalsNaming(target, rolesUsed)).isEqualTo(globalsNaming(source, rolesUsed));
        assertThat(query(target, "postgres", "SELECT rolname FROM pg_roles")).doesNotContain("Annex Clerk", "retired_role");
        try (Connection asTenant = connectAs(target, BISTRO, "tenant_user"); Statement st = asTenant.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM \"Ops\".\"Orders\"")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows the tenant's policy shows").isEqualTo(1000);
        }
    }

    @Test
    void freshServerWithoutCreateRolesIsRefusedBeforeAnythingIsCreated() throws Exception {
        assertSucceeded(cli.run("backup", "logical", "-p", port(source), "-d", BISTRO));
        List<String> databasesBefore = query(target, "postgres", "SELECT datname FROM pg_database ORDER BY 1");
        List<String> rolesBefore = query(target, "postgres", "SELECT rolname FROM pg_roles ORDER BY 1");

        CellarCli.Run refused = cli.run("restore", "logical", "-p", port(target), "--target-db", BISTRO);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ErrorCode.GLOBALS_MISSING.exitCode());
        assertThat(refused.stderr()).contains("bistro_owner", "Kitchen Staff", "staff_base", "chef_bob", "auditor", "reporting",
                "tenant_user", "night_batch", "db_connect_only", BACKUP_ROLE).contains("--create-roles", "--no-owner");
        assertThat(query(target, "postgres", "SELECT datname FROM pg_database ORDER BY 1")).isEqualTo(databasesBefore);
        assertThat(query(target, "postgres", "SELECT rolname FROM pg_roles ORDER BY 1")).isEqualTo(rolesBefore);

        CellarCli.Run noOwner = cli.run("restore", "logical", "-p", port(target), "--target-db", BISTRO, "--no-owner");
        assertThat(noOwner.exitCode()).as("policies name roles even without ownership: " + noOwner)
                .isEqualTo(ErrorCode.GLOBALS_MISSING.exitCode());
        assertThat(noOwner.stderr()).contains("bistro_owner, tenant_user");
        assertThat(query(target, "postgres", "SELECT datname FROM pg_database ORDER BY 1")).isEqualTo(databasesBefore);
    }

    @Test
    void noOwnerRestoreListsEveryGrantAndOwnershipItSkipped() throws Exception {
        assertSucceeded(cli.run("backup", "logical", "-p", port(source), "-d", BISTRO));
        target.execute("postgres", "CREATE ROLE bistro_owner; CREATE ROLE tenant_user LOGIN");  // the roles its policies name

        JsonNode restored = json(cli.run("restore", "logical", "-p", port(target), "--target-db", BISTRO, "--no-owner", "--json"));

        // what the source's own schema script says about ownership and privileges, line for line
        // (the database's own ACL is checked per grantee: pg_dump writes it relative to the default ACL, Cellar from scratch)
        List<String> expected = SchemaDumps.normalizedCreateScript(source, BISTRO).lines()
                .filter(line -> line.contains(" OWNER TO ") || line.startsWith("GRANT ") || line.startsWith("REVOKE ")
                        || line.startsWith("ALTER DEFAULT PRIVILEGES "))
                .filter(line -> !line.contains(" ON DATABASE ")).toList();
        List<String> skipped = strings(restored.at("/globals/skippedByNoOwner"));
        assertThat(expected).hasSizeGreaterThan(25);
        for (String statement : expected) {
            assertThat(skipped).as("skipped list names: " + statement).anySatisfy(s -> assertThat(sameStatement(s, statement)).isTrue());
        }
        for (String grantee : List.of("db_connect_only", "tenant_user", "night_batch", "Kitchen Staff")) {
            assertThat(skipped).anySatisfy(s -> assertThat(s).contains(" ON DATABASE ").endsWith(" TO " + quote(grantee) + ";"));
        }
        assertThat(checksums(target, BISTRO)).isEqualTo(checksums(source, BISTRO));
        assertThat(SchemaDumps.normalizedSchema(target, BISTRO)).isEqualTo(SchemaDumps.normalizedSchema(source, BISTRO));
    }

    @Test
    void wholeServerBackupAndRestoreBringsEveryDatabaseBack() throws Exception {
        CellarCli.Run run = cli.run("backup", "logical", "--all", "-p", port(source), "-U", BACKUP_ROLE, "--json");
        assertThat(run.exitCode()).as("the vault refuses the backup role: " + run).isEqualTo(ErrorCode.DATABASE_UNREACHABLE.exitCode());
        JsonNode backedUp = JSON.readTree(run.stdout());
        assertThat(backedUp.get("rolePasswords").asBoolean()).as("pg_authid is not readable by the backup role").isFalse();
        List<String> ok = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        backedUp.get("databases").forEach(d -> (d.get("ok").asBoolean() ? ok : failed).add(d.get("database").asText()));
        assertThat(ok).containsExactly(ANNEX, BISTRO, "postgres");
        assertThat(failed).containsExactly(VAULT);

        JsonNode restored = json(cli.run("restore", "logical", "--all", "-p", port(target), "--create-roles", "--json"));

        assertThat(strings(restored.get("rolesCreated"))).contains("retired_role", "Annex Clerk", "chef_bob", BACKUP_ROLE);
        assertThat(strings(restored.get("notInRun"))).containsExactly(VAULT);
        for (String database : List.of(ANNEX, BISTRO, "postgres")) {
            assertThat(checksums(target, database)).as(database).isEqualTo(checksums(source, database));
            assertThat(SchemaDumps.normalizedCreateScript(target, database)).as(database)
                    .isEqualTo(SchemaDumps.normalizedCreateScript(source, database));
        }
        List<String> everyRole = query(source, "postgres", "SELECT rolname FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%'");
        assertThat(withoutPasswords(globalsNaming(target, everyRole))).isEqualTo(withoutPasswords(globalsNaming(source, everyRole)));

        target.execute(ANNEX, "CREATE TABLE added_after (id int)");
        CellarCli.Run again = cli.run("restore", "logical", "--all", "-p", port(target), "--create-roles");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ErrorCode.TARGET_EXISTS.exitCode());
        assertThat(again.stderr()).contains(ANNEX).contains(BISTRO).contains("--force");
    }

    @Test
    void aTablespaceTheNewServerLacksIsRefusedWithTheStatementThatCreatesIt() throws Exception {
        Path folder = ServerUser.newFolder("cellar-new-server-it-tablespace");
        source.execute("postgres", "CREATE TABLESPACE cold LOCATION '" + folder + "'");
        source.createDatabase("cold_storage");
        try {
            source.execute("cold_storage", "CREATE TABLE archive (id int PRIMARY KEY) TABLESPACE cold; INSERT INTO archive VALUES (1)");
            assertSucceeded(cli.run("backup", "logical", "-p", port(source), "-d", "cold_storage"));

            CellarCli.Run refused = cli.run("restore", "logical", "-p", port(target), "--target-db", "cold_storage", "--create-roles");

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ErrorCode.GLOBALS_MISSING.exitCode());
            assertThat(refused.stderr()).contains("tablespace(s)").contains("cold").contains("CREATE TABLESPACE cold OWNER postgres LOCATION");
            assertThat(query(target, "postgres", "SELECT datname FROM pg_database")).doesNotContain("cold_storage");
        } finally {
            source.dropDatabase("cold_storage");
            source.execute("postgres", "DROP TABLESPACE cold");
        }
    }

    @Test
    void backupTakenBeforeGlobalsStillRestoresAndSaysCreateRolesHadNothingToCreate() throws Exception {
        String id = json(cli.run("backup", "logical", "-p", port(source), "-d", BISTRO, "--json")).at("/manifest/id").asText();
        String legacyId = saveCopyWithoutGlobals(id);
        target.execute("postgres", resource("roles.sql") + "; CREATE ROLE " + BACKUP_ROLE);

        JsonNode restored = json(cli.run("restore", "logical", legacyId, "-p", port(target), "--target-db", BISTRO, "--create-roles",
                "--json"));

        assertThat(restored.at("/globals/backupHasGlobals").asBoolean()).isFalse();
        assertThat(strings(restored.at("/globals/notes"))).anyMatch(note -> note.contains("taken before Cellar stored roles"));
        assertThat(checksums(target, BISTRO)).isEqualTo(checksums(source, BISTRO));
    }

    /** The manifest of {@code id} stored again under a new id, as Cellar wrote manifests before they referred to globals. */
    private String saveCopyWithoutGlobals(String id) {
        Repository repository = Repository.open(new LocalStorage(workDir.resolve("repo")),
                RepositorySecret.passphrase("new-server-passphrase".toCharArray()), Clock.systemUTC());
        BackupManifest m = repository.manifests().load(id);
        String legacyId = BackupId.next(Instant.now());
        repository.manifests().save(new BackupManifest(legacyId, m.kind(), m.startedAt(), m.finishedAt(), m.database(), m.serverVersion(),
                m.toolVersion(), m.source(), m.createdBy(), m.streams(), m.tables(), m.storedBytes(), m.auditSequence(), null, null));
        return legacyId;
    }

    /** pg_dumpall's globals, as a set of statements, keeping those that name one of {@code roles} (as pg_dumpall quotes it). */
    private static Set<String> globalsNaming(LocalCluster cluster, List<String> roles) {
        String script = ProcessRunner.requireSuccess(List.of(cluster.binaries().path("pg_dumpall").toString(), "-h", cluster.host(),
                "-p", port(cluster), "-U", cluster.superuser(), "--globals-only"), Map.of(), null).stdout();
        List<String> names = roles.stream().map(r -> r.matches("[a-z_][a-z0-9_]*") ? r : quote(r)).toList();
        return Arrays.stream(script.split(";\n")).map(String::strip)
                .map(s -> s.lines().filter(line -> !line.startsWith("--") && !line.startsWith("\\")).collect(Collectors.joining("\n")).strip())
                .filter(s -> !s.isEmpty() && names.stream().anyMatch(n -> s.matches("(?s).*(^|[\\s\"(,])" + java.util.regex.Pattern.quote(n) + "([\\s\",;)]|$).*")))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> withoutPasswords(Set<String> statements) {
        return statements.stream().map(s -> s.replaceAll(" PASSWORD '[^']*'", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Two renderings of one statement: pg_dump quotes identifiers only when needed, Cellar always. */
    private static boolean sameStatement(String a, String b) {
        return a.replace("\"", "").replace(", ", ",").equals(b.replace("\"", "").replace(", ", ","));
    }

    private static Map<String, String> checksums(LocalCluster cluster, String database) throws SQLException {
        try (Connection c = cluster.connect(database)) {
            return TableChecksums.of(c);
        }
    }

    private static Connection connectAs(LocalCluster cluster, String database, String role) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", role);
        return java.sql.DriverManager.getConnection(cluster.jdbcUrl(database), properties);
    }

    private static List<String> query(LocalCluster cluster, String database, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = cluster.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static JsonNode json(CellarCli.Run run) throws IOException {
        assertSucceeded(run);
        return JSON.readTree(run.stdout());
    }

    private static void assertSucceeded(CellarCli.Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String port(LocalCluster cluster) {
        return Integer.toString(cluster.port());
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NewServerRestoreIT.class.getResourceAsStream("/globals/" + name)) {
            if (in == null) {
                throw new IOException("test resource /globals/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
