package dev.cellar.lifecycle.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.it.CellarCli;
import dev.cellar.it.TestFolders;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.ForeignKey;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.policy.DataPolicyParser;
import dev.cellar.lifecycle.policy.PolicySource;
import dev.cellar.pg.LocalCluster;
import dev.cellar.lifecycle.archive.ArchiveLayout;
import dev.cellar.lifecycle.archive.ArchiveManifest;
import dev.cellar.lifecycle.archive.RepositoryArchiver;
import dev.cellar.repo.CheapKdfRepositories;
import dev.cellar.repo.Repository;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention on restaurant_ordering with eight years of history: the plan against a hand-written
 * query of the shipped policy; apply removing exactly those rows with no orphan and every removed
 * row archived first; and the CLI's apply killed (SIGKILL) mid-run, then run again, ending in the very
 * state of the run that was never killed, with every removed row in one of its verified archives.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionIT {
    private static final Instant AT = Instant.parse("2026-11-01T00:00:00Z");
    private static final String PLANNED = "retention_planned";
    private static final String KILLED = "retention_killed";
    private static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("retention-it-passphrase-6b0");
    private static final List<String> TABLES = List.of("payments", "users", "user_activity", "orders", "order_items", "inventory",
            "employees", "audit.audit_logs");
    private static final Map<String, String> KEYS = Map.of("orders", "id, created_at", "inventory", "cafe_id, menu_item_id");

    /**
     * The shipped policy, written out by hand for the sample's keys: due by the dating rule, going
     * when no row that stays references it (payments hold orders, orders hold users).
     */
    private static final String EXPECTED = """
            CREATE TABLE expected_going AS
            WITH payments_due AS (SELECT id FROM payments WHERE paid_at + interval '7 years' <= '2026-11-01Z'),
                 orders_due AS (SELECT id, created_at FROM orders WHERE created_at + interval '3 years' <= '2026-11-01Z'),
                 items_due AS (SELECT i.id FROM order_items i JOIN orders_due o ON (o.id, o.created_at) = (i.order_id, i.order_created_at)),
                 orders_going AS (SELECT o.* FROM orders_due o
                                   WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE (p.order_id, p.order_created_at) = (o.id, o.created_at)
                                                       AND p.id NOT IN (SELECT id FROM payments_due))),
                 users_due AS (SELECT id FROM users WHERE last_active_at + interval '2 years' <= '2026-11-01Z'),
                 activity_due AS (SELECT a.id FROM user_activity a WHERE a.user_id IN (SELECT id FROM users_due)),
                 users_going AS (SELECT u.id FROM users_due u
                                  WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id
                                                      AND (o.id, o.created_at) NOT IN (SELECT id, created_at FROM orders_going)))
            SELECT 'payments' AS t, 'due' AS s, id::text AS k FROM payments_due
            UNION ALL SELECT 'payments', 'going', id::text FROM payments_due
            UNION ALL SELECT 'orders', 'due', (id, created_at)::text FROM orders_due
            UNION ALL SELECT 'orders', 'going', (id, created_at)::text FROM orders_going
            UNION ALL SELECT 'order_items', 'due', id::text FROM items_due
            UNION ALL SELECT 'order_items', 'going', id::text FROM items_due
            UNION ALL SELECT 'users', 'due', id::text FROM users_due
            UNION ALL SELECT 'users', 'going', id::text FROM users_going
            UNION ALL SELECT 'user_activity', 'due', id::text FROM activity_due
            UNION ALL SELECT 'user_activity', 'going', id::text FROM activity_due
            UNION ALL SELECT 'inventory', s, (cafe_id, menu_item_id)::text FROM inventory, (VALUES ('due'), ('going')) v(s)
                       WHERE updated_at + interval '3 years' <= '2026-11-01Z'
            UNION ALL SELECT 'employees', s, id::text FROM employees, (VALUES ('due'), ('going')) v(s)
                       WHERE employment_end + interval '7 years' <= '2026-11-01Z'
            UNION ALL SELECT 'audit.audit_logs', s, id::text FROM audit.audit_logs, (VALUES ('due'), ('going')) v(s)
                       WHERE occurred_at + interval '10 years' <= '2026-11-01Z'
            """;

    private static LocalCluster cluster;
    private static CellarCli cli;
    private static Repository repository;

    @BeforeAll
    static void loadEightYearsTwice() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-retention-it-pg"));
        Path repoFolder = TestFolders.create("cellar-retention-it").resolve("repo");
        repository = CheapKdfRepositories.init(repoFolder, PASSPHRASE);
        cli = new CellarCli(Map.of("CELLAR_DATABASE_HOST", cluster.host(), "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(), "CELLAR_REPOSITORY_PATH", repoFolder.toString(), "CELLAR_PASSPHRASE", PASSPHRASE));
        for (String database : List.of(PLANNED, KILLED)) {
            CellarCli.Run load = cli.run("sample", "load", "-d", database, "--scale", "1", "--history-years", "8");
            assertThat(load.exitCode()).as(load.toString()).isZero();
            try (Connection c = cluster.connect(database); Statement st = c.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
                st.execute(EXPECTED);
            }
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void planEqualsTheHandWrittenQueryOfThePolicy() throws Exception {
        CellarCli.Run run = cli.run("retention", "plan", "-d", PLANNED, "--at", AT.toString(), "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode plan = new ObjectMapper().readTree(run.stdout());

        Map<String, long[]> planned = new TreeMap<>();
        for (JsonNode category : plan.get("categories")) {
            for (JsonNode table : category.get("tables")) {
                planned.put(table.get("table").asText(), new long[] {table.get("due").asLong(), table.get("going").asLong()});
            }
        }
        try (Connection c = cluster.connect(PLANNED)) {
            for (String table : TABLES) {
                long due = count(c, "SELECT count(*) FROM expected_going WHERE t = '" + table + "' AND s = 'due'");
                long going = count(c, "SELECT count(*) FROM expected_going WHERE t = '" + table + "' AND s = 'going'");
                assertThat(planned.get(table)).as(table).containsExactly(due, going);
            }
            // every rule of the policy has rows to act on, and the 7-year payments hold 3-year orders back
            for (String table : List.of("payments", "orders", "order_items", "users", "user_activity", "inventory", "employees")) {
                assertThat(planned.get(table)[1]).as(table + " going").isPositive();
            }
            long ordersHeld = count(c, "SELECT count(*) FROM orders o WHERE created_at + interval '3 years' <= '2026-11-01Z' "
                    + "AND EXISTS (SELECT 1 FROM payments p WHERE (p.order_id, p.order_created_at) = (o.id, o.created_at) "
                    + "AND p.paid_at + interval '7 years' > '2026-11-01Z')");
            assertThat(ordersHeld).isPositive();
            assertThat(holds(plan, "orders")).containsEntry("payments", ordersHeld);
            assertThat(holds(plan, "users")).containsKey("orders");
        }
        assertThat(plan.get("deletionOrder").toString()).contains("\"payments\"").contains("\"users\"");
        assertThat(plan.get("at").asText()).isEqualTo(AT.toString());
    }

    @Test
    @Order(2)
    void applyRemovesExactlyTheDueRowsLeavesNoOrphanAndArchivedThemFirst() throws Exception {
        try (Connection c = cluster.connect(PLANNED); Statement st = c.createStatement()) {
            Map<String, Long> before = rowCounts(c);
            for (String table : TABLES) {
                st.execute("CREATE TABLE \"removed_" + table + "\" AS SELECT * FROM " + table + " t WHERE " + keyOf(table)
                        + "::text IN (SELECT k FROM expected_going WHERE t = '" + table + "' AND s = 'going')");
            }

            RetentionApplier applier = applier(c, 200);
            List<RetentionApplyResult.TableResult> result = applier.deleteInBatches(applier.archive(archiver(), PLANNED, "run1"), new long[1]);

            Map<String, Long> after = rowCounts(c);
            for (String table : TABLES) {
                long expected = count(c, "SELECT count(*) FROM expected_going WHERE t = '" + table + "' AND s = 'going'");
                assertThat(before.get(table) - after.get(table)).as(table + " removed").isEqualTo(expected);
                assertThat(count(c, "SELECT count(*) FROM " + table + " t WHERE " + keyOf(table)
                        + "::text IN (SELECT k FROM expected_going WHERE t = '" + table + "' AND s = 'going')")).as(table + " left").isZero();
            }
            assertThat(result).allMatch(t -> t.skipped() == 0 && t.deleted() == t.archived());
            assertThat(result).filteredOn(t -> t.table().equals("orders")).allMatch(t -> t.deleted() > 0);
            assertNoOrphans(c);
            assertRemovedRowsAreInVerifiedArchives(c, PLANNED, 1);
        }
    }

    @Test
    @Order(3)
    void cliApplyKilledMidRunThenRunAgainEndsAsTheUnbrokenRunWithEveryRemovedRowInAVerifiedArchive() throws Exception {
        try (Connection c = cluster.connect(KILLED); Statement st = c.createStatement()) {
            for (String table : TABLES) {
                st.execute("CREATE TABLE \"removed_" + table + "\" AS SELECT * FROM " + table + " t WHERE " + keyOf(table)
                        + "::text IN (SELECT k FROM expected_going WHERE t = '" + table + "' AND s = 'going')");
            }
            Map<String, Long> before = rowCounts(c);
            Process apply = cli.start("retention", "apply", "-d", KILLED, "--at", AT.toString(), "--batch-rows", "20", "--pause-ms", "40");
            // SIGKILL once the deletes are under way: the archive is written, some batches committed
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (rowCounts(c).equals(before) && apply.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(apply.isAlive()).as("the run was still deleting when killed").isTrue();
            apply.destroyForcibly().waitFor();
            long left = count(c, "SELECT count(*) FROM expected_going e WHERE s = 'going' AND t = 'users' AND k IN (SELECT id::text FROM users)");
            assertThat(left).as("users still to delete after the kill").isPositive();

            CellarCli.Run again = cli.run("retention", "apply", "-d", KILLED, "--at", AT.toString(), "--batch-rows", "500", "--json");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(new ObjectMapper().readTree(again.stdout()).get("archiveId").asText()).contains("retention");
            assertNoOrphans(c);
            try (Connection planned = cluster.connect(PLANNED)) {
                for (String table : TABLES) {
                    assertThat(digest(c, table)).as(table + " as the unbroken run left it").isEqualTo(digest(planned, table));
                }
            }

            assertRemovedRowsAreInVerifiedArchives(c, KILLED, 2);
            // the run that finished is audited with its archive and counts
            assertThat(repository.audit().read(0).records()).anyMatch(r -> r.operation().equals("retention apply")
                    && r.detail().contains("retention_killed/retention/") && r.detail().contains("deleted "));
        }
    }

    private static RepositoryArchiver archiver() {
        return new RepositoryArchiver(repository, DataPolicyParser.restaurantOrdering(), Clock.systemUTC());
    }

    /** Restores the rows of every retention archive of {@code database} into scratch tables: each removed row is among them. */
    private static void assertRemovedRowsAreInVerifiedArchives(Connection c, String database, int runs) throws Exception {
        RepositoryArchiver archiver = archiver();
        List<RepositoryArchiver.ArchiveListing> archives = archiver.list().stream()
                .filter(a -> a.database().equals(database) && a.kind().equals("retention")).toList();
        assertThat(archives).hasSize(runs).allMatch(RepositoryArchiver.ArchiveListing::complete);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try (Statement st = c.createStatement()) {
            for (String table : TABLES) {
                st.execute("CREATE TABLE \"restored_" + table + "\" (LIKE " + table + ")");
            }
        }
        for (RepositoryArchiver.ArchiveListing listing : archives) {
            assertThat(archiver.verify(listing.id()).intact()).as(listing.id()).isTrue();
            ArchiveManifest manifest = archiver.readManifest(ArchiveLayout.ofId(listing.id()));
            for (ArchiveManifest.ArchivedTable archived : manifest.tables()) {
                String table = TableName.parse(archived.table()).toString();
                if (TABLES.contains(table)) {
                    copy.copyIn("COPY \"restored_" + table + "\" FROM STDIN (FORMAT csv, HEADER)", new ByteArrayInputStream(archiver.readTable(archived)));
                }
            }
        }
        for (String table : TABLES) {
            assertThat(count(c, "SELECT count(*) FROM (SELECT * FROM \"removed_" + table + "\" EXCEPT SELECT * FROM \"restored_"
                    + table + "\") missing")).as(table + " removed but in no archive").isZero();
            assertThat(digest(c, "(SELECT DISTINCT * FROM \"restored_" + table + "\" INTERSECT SELECT * FROM \"removed_" + table + "\")"))
                    .as(table).isEqualTo(digest(c, "\"removed_" + table + "\""));
        }
    }

    private static RetentionApplier applier(Connection c, int batchRows) throws SQLException {
        BatchPause pause = between -> { };
        try (Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
        }
        RetentionRules rules = RetentionService.rules(c, new PolicySource.LoadedPolicy(DataPolicyParser.restaurantOrdering(), "shipped"), AT);
        return new RetentionApplier(c, rules, new RetentionApplier.ApplySettings(batchRows, Duration.ZERO, pause));
    }

    /** Every foreign key of the database, checked with a LEFT JOIN, and every constraint still validated. */
    private static void assertNoOrphans(Connection c) throws SQLException {
        ForeignKeyGraph graph = ForeignKeyCatalog.read(c);
        assertThat(graph.keys()).hasSizeGreaterThan(5);
        for (ForeignKey key : graph.keys()) {
            StringBuilder join = new StringBuilder();
            for (int i = 0; i < key.columns().size(); i++) {
                join.append(i == 0 ? "" : " AND ").append("p.").append(key.referencedColumns().get(i)).append(" = c.").append(key.columns().get(i));
            }
            String orphans = "SELECT count(*) FROM " + key.table().quoted() + " c LEFT JOIN " + key.referencedTable().quoted() + " p ON "
                    + join + " WHERE p." + key.referencedColumns().get(0) + " IS NULL AND c." + key.columns().get(0) + " IS NOT NULL";
            assertThat(count(c, orphans)).as(key.constraint()).isZero();
        }
        assertThat(count(c, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated")).isZero();
    }

    private static Map<String, Long> holds(JsonNode plan, String table) {
        Map<String, Long> holds = new TreeMap<>();
        for (JsonNode category : plan.get("categories")) {
            for (JsonNode t : category.get("tables")) {
                if (t.get("table").asText().equals(table)) {
                    t.get("holds").forEach(h -> holds.put(h.get("referencingTable").asText(), h.get("rows").asLong()));
                }
            }
        }
        return holds;
    }

    private static String keyOf(String table) {
        return "(" + KEYS.getOrDefault(table, "id") + ")";
    }

    private static Map<String, Long> rowCounts(Connection c) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : TABLES) {
            counts.put(table, count(c, "SELECT count(*) FROM " + table));
        }
        return counts;
    }

    private static String digest(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) || ':' || md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM " + table + " r")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(Connection c, String query) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
