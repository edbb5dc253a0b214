package dev.cellar.drill.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.it.TestDatabases;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.sample.SampleChurn;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consistency checks and the performance comparison on copies of a generated restaurant_ordering
 * (scale 1, plus a day of churn): a clean copy passes every check and every shipped invariant; copies
 * damaged on purpose fail each with its own reason, and an index page overwritten on disk is found
 * by pg_amcheck and by the amcheck extension through SQL.
 */
class CheckIT {
    private static final String SOURCE = TestDatabases.RESTAURANT;
    private static final int BTREE_PAGE = 8192;

    private static LocalCluster cluster;
    private static long maxOrderId;
    private static long overpaidOrder;

    @BeforeAll
    static void loadAndCopy() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-check-it-pg"));
        TestDatabases.loadRestaurant(cluster, SOURCE, 1);
        try (Connection c = cluster.connect(SOURCE)) {
            SampleChurn.apply(c, 0.01, 7);
        }
        for (String copy : List.of("clean", "damaged", "corrupt")) {
            cluster.execute("postgres", "CREATE DATABASE " + copy + " TEMPLATE " + SOURCE);
        }
        try (Connection c = cluster.connect("damaged"); Statement st = c.createStatement()) {
            maxOrderId = single(st, "SELECT max(id) FROM orders");
            st.execute("SELECT setval('orders_id_seq', 41)");
            // the way a bulk load with triggers off lets an orphan in: the foreign key's trigger never fires
            st.execute("SET session_replication_role = replica");
            st.execute("INSERT INTO order_items (order_id, order_created_at, menu_item_id, quantity, unit_price)"
                    + " VALUES (999999999, now(), (SELECT min(id) FROM menu_items), 1, 1.00)");
            st.execute("RESET session_replication_role");
            overpaidOrder = single(st, "SELECT min(order_id) FROM payments");
            st.execute("UPDATE payments SET amount = amount + 1000 WHERE order_id = " + overpaidOrder);
        }
        String indexFile;
        try (Connection c = cluster.connect("corrupt"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_relation_filepath('users_pkey')")) {
            rs.next();
            indexFile = rs.getString(1);
        }
        // stopped, so that no dirty buffer overwrites the damage and the restarted server reads the page from disk
        cluster.stop();
        try (RandomAccessFile file = new RandomAccessFile(cluster.dataDir().resolve(indexFile).toFile(), "rw")) {
            file.seek(BTREE_PAGE + 100);
            for (int i = 0; i < 200; i++) {
                file.writeInt(0xDEADBEEF);
            }
        }
        cluster.restart();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCleanCopyPassesEveryCheckAndEveryShippedInvariant() {
        CheckReport report = new RestoredCopyChecks().runAll(target("clean", true));

        assertThat(report.results()).filteredOn(CheckResult::failed).isEmpty();
        List<String> shipped = CheckSetParser.shipped(SOURCE).orElseThrow().invariants().stream().map(Invariant::name).toList();
        assertThat(report.results()).filteredOn(r -> r.check().equals("invariant"))
                .allMatch(r -> r.status() == CheckResult.Status.PASSED)
                .extracting(CheckResult::subject).containsExactlyElementsOf(shipped);
        assertThat(report.results()).filteredOn(r -> r.check().equals("sequences")).extracting(CheckResult::subject)
                .contains("public.orders_id_seq", "public.users_id_seq");
        assertThat(report.results()).filteredOn(r -> r.check().equals("foreign-keys")).isNotEmpty();
        assertThat(report.results()).filteredOn(r -> r.check().equals("amcheck"))
                .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(CheckResult.Status.PASSED));
        assertThat(report.results()).filteredOn(r -> r.check().equals("performance"))
                .singleElement().satisfies(r -> assertThat(r.detail()).contains("ANALYZE", "report only"));
    }

    @Test
    void everyShippedQueryIsTimedWithARatioAgainstTheSourceAndNaNWithoutOne() {
        List<String> queries = CheckSetParser.shipped(SOURCE).orElseThrow().queries().stream().map(TimedQuery::name).toList();

        List<QueryTiming> withSource = new RestoredCopyChecks().runAll(target("clean", true)).timings();
        List<QueryTiming> alone = new RestoredCopyChecks().runAll(target("clean", false)).timings();

        assertThat(withSource).extracting(QueryTiming::name).containsExactlyElementsOf(queries);
        assertThat(withSource).allSatisfy(t -> {
            assertThat(t.restoredMillis()).isGreaterThan(0);
            assertThat(t.sourceMillis()).isGreaterThan(0);
            assertThat(t.ratio()).isFinite().isPositive();
        });
        assertThat(alone).extracting(QueryTiming::name).containsExactlyElementsOf(queries);
        assertThat(alone).allSatisfy(t -> {
            assertThat(t.sourceMillis()).isEqualTo(-1);
            assertThat(t.ratio()).isNaN();
        });
    }

    @Test
    void aDamagedCopyFailsEachCheckWithItsOwnReason() {
        List<CheckResult> results = new RestoredCopyChecks().run(target("damaged", true));

        assertThat(results).filteredOn(r -> r.check().equals("sequences") && r.failed()).singleElement()
                .satisfies(r -> assertThat(r.detail()).isEqualTo("sequence public.orders_id_seq is at 41, below max(public.orders.id) = "
                        + maxOrderId + ": the next insert would collide"));
        assertThat(results).filteredOn(r -> r.check().equals("foreign-keys") && r.failed()).singleElement()
                .satisfies(r -> {
                    assertThat(r.subject()).isEqualTo("order_items_order_fk");
                    assertThat(r.detail()).contains("1 row(s)");
                });
        assertThat(results).filteredOn(r -> r.check().equals("invariant") && r.failed()).singleElement()
                .satisfies(r -> {
                    assertThat(r.subject()).isEqualTo("payments-within-order-total");
                    assertThat(r.detail()).contains("the payments of an order never add up to more than the order's total",
                            "1 offending row(s), e.g. " + overpaidOrder);
                });
        assertThat(results).filteredOn(r -> r.check().equals("amcheck")).noneMatch(CheckResult::failed);
    }

    @Test
    void anOverwrittenIndexPageIsFoundByPgAmcheckAndThroughSql() throws Exception {
        List<CheckResult> byProgram;
        List<CheckResult> bySql;
        Path noPrograms = TestFolders.create("cellar-check-it-empty-bin");
        try (Connection c = cluster.connect("corrupt")) {
            byProgram = AmcheckCheck.run(c, spec("corrupt"), null);
            bySql = AmcheckCheck.run(c, spec("corrupt"), noPrograms);
        }

        for (List<CheckResult> results : List.of(byProgram, bySql)) {
            assertThat(results).filteredOn(CheckResult::failed).singleElement().satisfies(r -> {
                assertThat(r.subject()).isEqualTo("public.users_pkey");
                assertThat(r.detail()).startsWith("btree index public.users_pkey is corrupt: ").contains("users_pkey");
            });
        }
    }

    @Test
    void withoutPgAmcheckTheExtensionChecksACleanCopyThroughSql() throws Exception {
        Path noPrograms = TestFolders.create("cellar-check-it-empty-bin");
        try (Connection c = cluster.connect("clean")) {
            assertThat(AmcheckCheck.run(c, spec("clean"), noPrograms)).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(CheckResult.Status.PASSED);
                assertThat(r.detail()).startsWith("amcheck (SQL) found no corrupt page in ");
            });
        }
    }

    @Test
    void aConfiguredCheckSetReplacesTheShippedOneAndItsFailuresNameTheirCause() throws Exception {
        Path file = TestFolders.create("cellar-check-it-set").resolve("shop-checks.yaml");
        java.nio.file.Files.writeString(file, """
                statement-timeout-seconds: 1
                invariants:
                  - name: no-negative-totals
                    description: no order has a negative total
                    returns: verdict
                    sql: SELECT count(*) FROM orders WHERE total < 0
                  - name: renamed-table
                    description: a rule over a table that is not there
                    sql: SELECT id FROM no_such_table
                queries:
                  - name: slow
                    description: slower than the timeout
                    sql: SELECT pg_sleep(3)
                """);

        List<CheckResult> results = new RestoredCopyChecks(file).run(target("clean", false));

        assertThat(results).filteredOn(r -> r.check().equals("invariant")).extracting(CheckResult::subject)
                .containsExactly("no-negative-totals", "renamed-table");
        assertThat(results).filteredOn(r -> r.subject().equals("no-negative-totals")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(CheckResult.Status.PASSED));
        assertThat(results).filteredOn(r -> r.subject().equals("renamed-table")).singleElement().satisfies(r -> {
            assertThat(r.failed()).isTrue();
            assertThat(r.detail()).contains("could not run", "no_such_table", "shop-checks.yaml line 7");
        });
        assertThat(results).filteredOn(r -> r.check().equals("performance")).singleElement().satisfies(r -> {
            assertThat(r.failed()).isTrue();
            assertThat(r.detail()).contains("query slow failed on the restored copy: exceeded the statement timeout of 1 s");
        });
    }

    private static CheckTarget target(String copy, boolean withSource) {
        return new CheckTarget(spec(copy), withSource ? spec(SOURCE) : null, List.of(), null, SOURCE);
    }

    private static PgConnectionSpec spec(String database) {
        return TestDatabases.spec(cluster, database);
    }

    private static long single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
