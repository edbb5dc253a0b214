package dev.cellar.it;

import dev.cellar.lifecycle.TableName;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.lifecycle.graph.DeletionOrder;
import dev.cellar.lifecycle.graph.ForeignKey;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.graph.Subject;
import dev.cellar.lifecycle.graph.SubjectRowQueries;
import dev.cellar.lifecycle.graph.SubjectRowQuery;
import dev.cellar.pg.LocalCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foreign-key graph of the restaurant_ordering sample, read from a real cluster, equals what
 * pg_constraint says; and for one user the generated downward and upward SQL returns exactly the
 * rows that hand-written queries return, with a second schema "Loyalty" holding a mixed-case table
 * that references itself and is reached by two paths.
 */
class ForeignKeyGraphIT {
    private static final String DB = TestDatabases.RESTAURANT;
    private static final TableName CARD = new TableName("Loyalty", "Card");
    private static final TableName STAMP = new TableName("Loyalty", "Stamp");

    private static LocalCluster cluster;
    private static long subjectUser;

    @BeforeAll
    static void loadSampleWithALoyaltySchema() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-fkgraph-it-pg"));
        TestDatabases.loadRestaurant(cluster, DB, 1);
        try (Connection c = cluster.connect(DB); Statement st = c.createStatement()) {
            List<Long> users = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT user_id FROM orders GROUP BY user_id HAVING count(*) >= 2 ORDER BY user_id LIMIT 4")) {
                while (rs.next()) {
                    users.add(rs.getLong(1));
                }
            }
            subjectUser = users.get(0);
            long other = users.get(1);
            long third = users.get(2);
            st.execute("""
                    CREATE SCHEMA "Loyalty";
                    CREATE TABLE "Loyalty"."Card" (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES public.users (id),
                        "sponsorCardId" bigint REFERENCES "Loyalty"."Card" (id) DEFERRABLE INITIALLY DEFERRED);
                    CREATE TABLE "Loyalty"."Stamp" (id integer PRIMARY KEY, card_id bigint NOT NULL REFERENCES "Loyalty"."Card" (id) ON DELETE CASCADE,
                        order_id bigint, order_created_at timestamptz,
                        CONSTRAINT "Stamp_order_fk" FOREIGN KEY (order_id, order_created_at) REFERENCES public.orders (id, created_at) ON DELETE SET NULL);
                    """);
            // card 1 is the subject's; 2 and 3 hang below it through the sponsor chain; 5 is the subject's and needs 4 above it
            st.execute("INSERT INTO \"Loyalty\".\"Card\" VALUES (4, " + third + ", NULL), (1, " + subjectUser + ", NULL), (2, " + other
                    + ", 1), (3, " + other + ", 2), (5, " + subjectUser + ", 4), (6, " + third + ", NULL)");
            // stamp 10: below the subject through card 3, pointing at another user's order; stamp 11: the subject's order on card 4;
            // stamp 12: neither (must not appear)
            st.execute("INSERT INTO \"Loyalty\".\"Stamp\" SELECT 10, 3, id, created_at FROM orders WHERE user_id = " + other + " ORDER BY id LIMIT 1");
            st.execute("INSERT INTO \"Loyalty\".\"Stamp\" SELECT 11, 4, id, created_at FROM orders WHERE user_id = " + subjectUser + " ORDER BY id LIMIT 1");
            st.execute("INSERT INTO \"Loyalty\".\"Stamp\" SELECT 12, 6, id, created_at FROM orders WHERE user_id = " + third + " ORDER BY id LIMIT 1");
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void graphEqualsWhatPgConstraintSaysWithEachPartitionedKeyOnce() throws SQLException {
        try (Connection c = cluster.connect(DB)) {
            ForeignKeyGraph graph = ForeignKeyCatalog.read(c);
            Map<String, String> fromCatalog = new TreeMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                            + "WHERE contype = 'f' AND NOT (SELECT relispartition FROM pg_class WHERE oid = conrelid) "
                            + "AND NOT (SELECT relispartition FROM pg_class WHERE oid = confrelid)")) {
                while (rs.next()) {
                    fromCatalog.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
                }
            }
            Map<String, String> fromGraph = new TreeMap<>();
            for (ForeignKey key : graph.keys()) {
                fromGraph.put(key.constraint(), definition(key));
            }
            assertThat(fromGraph).isEqualTo(fromCatalog).hasSize(14);

            ForeignKey items = graph.keys().stream().filter(k -> k.constraint().equals("order_items_order_fk")).findFirst().orElseThrow();
            assertThat(items.columns()).containsExactly("order_id", "order_created_at");
            assertThat(items.referencedTable()).isEqualTo(new TableName("public", "orders"));
            assertThat(graph.children(new TableName("public", "orders")))
                    .containsExactly(STAMP, new TableName("public", "order_items"), new TableName("public", "payments"));
            assertThat(graph.primaryKeys().get(new TableName("public", "orders"))).containsExactly("id", "created_at");
            assertThat(graph.primaryKeys()).doesNotContainKey(new TableName("public", "orders_default"));
        }
    }

    @Test
    void deletionOrderOfTheWholeSampleRespectsEveryKey() throws SQLException {
        try (Connection c = cluster.connect(DB)) {
            ForeignKeyGraph graph = ForeignKeyCatalog.read(c);
            Set<TableName> tables = new java.util.TreeSet<>(graph.primaryKeys().keySet());
            DeletionOrder order = graph.deletionOrder(tables);
            for (ForeignKey key : graph.keys()) {
                if (!key.selfReference()) {
                    assertThat(order.tables().indexOf(key.table())).as(key.constraint()).isLessThan(order.tables().indexOf(key.referencedTable()));
                }
            }
            assertThat(order.selfReferencing()).containsExactly(CARD);
            assertThat(order.cycles()).isEmpty();
        }
    }

    @Test
    void subjectQueriesReturnExactlyTheRowsTheHandWrittenQueriesReturn() throws SQLException {
        try (Connection c = cluster.connect(DB)) {
            ForeignKeyGraph graph = ForeignKeyCatalog.read(c);
            List<SubjectRowQuery> queries = SubjectRowQueries.plan(graph, Subject.parse("users:" + subjectUser));
            Map<String, List<String>> belonging = new TreeMap<>();
            Map<String, List<String>> selfContained = new TreeMap<>();
            for (SubjectRowQuery query : queries) {
                if (query.belongingSql() != null) {
                    belonging.put(query.table().qualified(), rows(c, query.belongingSql(), true));
                }
                selfContained.put(query.table().qualified(), rows(c, query.selfContainedSql(), true));
            }
            Map<String, List<String>> expectedBelonging = new TreeMap<>();
            Map<String, List<String>> expectedSelfContained = new TreeMap<>();
            for (var entry : HAND_WRITTEN.entrySet()) {
                String table = entry.getKey();
                String down = entry.getValue()[0];
                if (down != null) {
                    expectedBelonging.put(table, rows(c, HAND_WRITTEN_WITH + "SELECT x::text FROM " + quoted(table) + " x WHERE " + down, false));
                }
                expectedSelfContained.put(table, rows(c, HAND_WRITTEN_WITH + "SELECT x::text FROM " + quoted(table) + " x WHERE " + entry.getValue()[1], false));
            }
            assertThat(belonging).isEqualTo(expectedBelonging);
            assertThat(selfContained).isEqualTo(expectedSelfContained);
            // the cases the loyalty rows were built for, so that an empty answer cannot pass
            assertThat(belonging.get("Loyalty.Card")).hasSize(4);
            assertThat(selfContained.get("Loyalty.Card")).hasSize(5);
            assertThat(belonging.get("Loyalty.Stamp")).hasSize(2);
            assertThat(selfContained.get("public.users")).hasSize(3);
            assertThat(belonging.get("public.order_items")).isNotEmpty();
            assertThat(selfContained).containsKeys("public.cafes", "public.menu_items").doesNotContainKeys("public.inventory", "public.employees");
        }
    }

    /*
     * Written from the schema by hand, without the graph: for each table the rows that belong to
     * the subject (null: none can) and the rows a self-contained copy needs. ? is the subject.
     */
    private static final String HAND_WRITTEN_WITH = """
            WITH RECURSIVE
              card_down AS (SELECT id FROM "Loyalty"."Card" WHERE user_id = ?
                            UNION SELECT k.id FROM "Loyalty"."Card" k JOIN card_down d ON k."sponsorCardId" = d.id),
              order_down AS (SELECT id, created_at FROM orders WHERE user_id = ?),
              stamp_down AS (SELECT * FROM "Loyalty"."Stamp" WHERE card_id IN (SELECT id FROM card_down)
                             OR (order_id, order_created_at) IN (SELECT id, created_at FROM order_down)),
              card_up AS (SELECT id, "sponsorCardId" FROM "Loyalty"."Card"
                           WHERE id IN (SELECT id FROM card_down) OR id IN (SELECT card_id FROM stamp_down)
                          UNION SELECT k.id, k."sponsorCardId" FROM "Loyalty"."Card" k JOIN card_up u ON k.id = u."sponsorCardId"),
              order_up AS (SELECT id, created_at FROM order_down
                           UNION SELECT order_id, order_created_at FROM stamp_down WHERE order_id IS NOT NULL),
              item_down AS (SELECT * FROM order_items WHERE (order_id, order_created_at) IN (SELECT id, created_at FROM order_down))
            """;

    private static final Map<String, String[]> HAND_WRITTEN = new HashMap<>();

    static {
        HAND_WRITTEN.put("public.users", new String[] {"x.id = ?",
                "x.id = ? OR x.id IN (SELECT user_id FROM \"Loyalty\".\"Card\" WHERE id IN (SELECT id FROM card_up))"
                        + " OR x.id IN (SELECT user_id FROM orders WHERE (id, created_at) IN (SELECT id, created_at FROM order_up))"});
        HAND_WRITTEN.put("public.user_activity", new String[] {"x.user_id = ?", "x.user_id = ?"});
        HAND_WRITTEN.put("public.orders", new String[] {"(x.id, x.created_at) IN (SELECT id, created_at FROM order_down)",
                "(x.id, x.created_at) IN (SELECT id, created_at FROM order_up)"});
        HAND_WRITTEN.put("public.order_items", new String[] {"x.id IN (SELECT id FROM item_down)", "x.id IN (SELECT id FROM item_down)"});
        HAND_WRITTEN.put("public.payments", new String[] {"(x.order_id, x.order_created_at) IN (SELECT id, created_at FROM order_down)",
                "(x.order_id, x.order_created_at) IN (SELECT id, created_at FROM order_down)"});
        HAND_WRITTEN.put("public.menu_items", new String[] {null, "x.id IN (SELECT menu_item_id FROM item_down)"});
        HAND_WRITTEN.put("public.cafes", new String[] {null, "x.id IN (SELECT menu_item_id FROM item_down)".replace("menu_item_id FROM item_down",
                "cafe_id FROM menu_items WHERE id IN (SELECT menu_item_id FROM item_down)")
                + " OR x.id IN (SELECT cafe_id FROM orders WHERE (id, created_at) IN (SELECT id, created_at FROM order_up))"});
        HAND_WRITTEN.put("Loyalty.Card", new String[] {"x.id IN (SELECT id FROM card_down)", "x.id IN (SELECT id FROM card_up)"});
        HAND_WRITTEN.put("Loyalty.Stamp", new String[] {"x.id IN (SELECT id FROM stamp_down)", "x.id IN (SELECT id FROM stamp_down)"});
    }

    private static String quoted(String table) {
        TableName name = TableName.parse(table);
        return name.quoted();
    }

    /** The rows a query returns, each as its text form, sorted; every ? is the subject. */
    private static List<String> rows(Connection c, String sql, boolean generated) throws SQLException {
        String text = generated ? "SELECT q::text FROM (" + sql + ") q" : sql;
        try (PreparedStatement ps = c.prepareStatement(text)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setObject(i, Long.toString(subjectUser), Types.OTHER);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            rows.sort(null);
            return rows;
        }
    }

    /** The key as pg_get_constraintdef writes it, preceded by the table as regclass prints it. */
    private static String definition(ForeignKey key) {
        String action = switch (key.onDelete()) {
            case NO_ACTION -> "";
            case RESTRICT -> " ON DELETE RESTRICT";
            case CASCADE -> " ON DELETE CASCADE";
            case SET_NULL -> " ON DELETE SET NULL";
            case SET_DEFAULT -> " ON DELETE SET DEFAULT";
        };
        String deferral = key.deferrable() ? (key.initiallyDeferred() ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE") : "";
        return regclass(key.table()) + " FOREIGN KEY (" + identifiers(key.columns()) + ") REFERENCES " + regclass(key.referencedTable())
                + "(" + identifiers(key.referencedColumns()) + ")" + action + deferral;
    }

    private static String regclass(TableName table) {
        return table.schema().equals("public") ? identifier(table.name()) : identifier(table.schema()) + "." + identifier(table.name());
    }

    private static String identifiers(List<String> names) {
        return String.join(", ", names.stream().map(ForeignKeyGraphIT::identifier).toList());
    }

    private static String identifier(String name) {
        return name.matches("[a-z_][a-z0-9_]*") ? name : "\"" + name + "\"";
    }

}
