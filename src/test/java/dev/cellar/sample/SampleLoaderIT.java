package dev.cellar.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Loads scale 1 into real PostgreSQL databases and checks the data and the churn on them. */
class SampleLoaderIT {
    private static final SampleSpec SPEC = new SampleSpec(1, 7, LocalDate.of(2026, 10, 31));
    private static final String CHECKSUM = "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM %s t";

    private static ThrowawayPostgres pg;
    private static SampleLoadResult loaded;

    @BeforeAll
    static void startAndLoad() throws Exception {
        pg = ThrowawayPostgres.start();
        pg.createDatabase("sample_a");
        try (Connection c = pg.connect("sample_a")) {
            loaded = SampleLoader.load(c, SPEC);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void everyTableIsFilledWithTheReportedRowCount() throws SQLException {
        assertThat(loaded.rowsPerTable()).hasSize(10);
        long sum = 0;
        try (Connection c = pg.connect("sample_a")) {
            for (Map.Entry<String, Long> table : loaded.rowsPerTable().entrySet()) {
                assertThat(table.getValue()).as(table.getKey()).isPositive();
                assertThat(single(c, "SELECT count(*) FROM " + table.getKey())).as(table.getKey()).isEqualTo(table.getValue());
                sum += table.getValue();
            }
        }
        assertThat(loaded.totalRows()).isEqualTo(sum);
        assertThat(loaded.rowsPerTable().get("orders")).isEqualTo(SampleVolumes.ORDERS_PER_UNIT);
    }

    @Test
    void referencesHaveNoOrphansAndAmountsAddUp() throws SQLException {
        try (Connection c = pg.connect("sample_a")) {
            assertThat(single(c, "SELECT count(*) FROM order_items i WHERE NOT EXISTS "
                    + "(SELECT 1 FROM orders o WHERE o.id = i.order_id AND o.created_at = i.order_created_at)")).isZero();
            assertThat(single(c, "SELECT count(*) FROM payments p WHERE NOT EXISTS "
                    + "(SELECT 1 FROM orders o WHERE o.id = p.order_id AND o.created_at = p.order_created_at)")).isZero();
            assertThat(single(c, "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id)"))
                    .isZero();
            assertThat(single(c, "SELECT count(*) FROM user_activity a WHERE NOT EXISTS "
                    + "(SELECT 1 FROM users u WHERE u.id = a.user_id)")).isZero();
            assertThat(single(c, "SELECT count(*) FROM inventory v WHERE NOT EXISTS "
                    + "(SELECT 1 FROM menu_items m WHERE m.id = v.menu_item_id AND m.cafe_id = v.cafe_id)")).isZero();
            assertThat(single(c, "SELECT count(*) FROM orders o WHERE o.subtotal <> order_total(o.id)")).isZero();
            assertThat(single(c, "SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id "
                    + "AND o.created_at = p.order_created_at WHERE p.amount <> o.total")).isZero();
            assertThat(single(c, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void ordersSpreadOverMonthlyPartitions() throws SQLException {
        try (Connection c = pg.connect("sample_a")) {
            assertThat(single(c, "SELECT count(DISTINCT tableoid) FROM orders")).isEqualTo(36);
            assertThat(single(c, "SELECT count(*) FROM orders_default")).isZero();
            assertThat(single(c, "SELECT count(*) FROM orders_y2026m10")).isGreaterThan(single(c, "SELECT count(*) FROM orders_y2023m11"));
            assertThat(single(c, "SELECT count(*) FROM daily_revenue")).isGreaterThan(1000);
        }
    }

    @Test
    void sameSpecLoadsIdenticalDataAndAnotherSeedDoesNot() throws SQLException {
        pg.createDatabase("sample_b");
        pg.createDatabase("sample_c");
        try (Connection a = pg.connect("sample_a"); Connection b = pg.connect("sample_b"); Connection c = pg.connect("sample_c")) {
            SampleLoader.load(b, SPEC);
            SampleLoader.load(c, new SampleSpec(1, 8, SPEC.endDate()));
            for (String table : new String[]{"orders", "payments"}) {
                String checksum = text(a, CHECKSUM.formatted(table));
                assertThat(text(b, CHECKSUM.formatted(table))).as(table).isEqualTo(checksum);
                assertThat(text(c, CHECKSUM.formatted(table))).as(table).isNotEqualTo(checksum);
            }
        }
    }

    @Test
    void churnTouchesAboutTheRequestedFractionDeterministically() throws SQLException {
        pg.createDatabase("churn_a");
        pg.createDatabase("churn_b");
        try (Connection a = pg.connect("churn_a"); Connection b = pg.connect("churn_b")) {
            long before = SampleLoader.load(a, SPEC).totalRows();
            SampleLoader.load(b, SPEC);
            long latestMonthBefore = single(a, "SELECT count(*) FROM orders_y2026m10");

            ChurnResult churn = SampleChurn.apply(a, 0.05, 99);
            ChurnResult again = SampleChurn.apply(b, 0.05, 99);

            assertThat(again).isEqualTo(churn);
            assertThat(churn.touched()).isBetween((long) (before * 0.04), (long) (before * 0.06));
            assertThat(churn.inserted()).isPositive();
            assertThat(churn.updated()).isPositive();
            assertThat(churn.deleted()).isPositive();
            assertThat(totalRows(a)).isEqualTo(before + churn.inserted() - churn.deleted());
            assertThat(single(a, "SELECT count(*) FROM orders_y2026m10")).isGreaterThan(latestMonthBefore);
            assertThat(single(a, "SELECT count(*) FROM orders_default")).isZero();
            assertThat(single(a, "SELECT count(*) FROM audit.audit_logs WHERE action = 'order.status_changed'")).isPositive();
            for (String sql : new String[]{CHECKSUM.formatted("orders"), CHECKSUM.formatted("payments"),
                    CHECKSUM.formatted("user_activity"),
                    "SELECT md5(string_agg(t::text, '|' ORDER BY cafe_id, menu_item_id)) FROM inventory t"}) {
                assertThat(text(b, sql)).as(sql).isEqualTo(text(a, sql));
            }
        }
    }

    private static long totalRows(Connection c) throws SQLException {
        long total = 0;
        for (String table : loaded.rowsPerTable().keySet()) {
            total += single(c, "SELECT count(*) FROM " + table);
        }
        return total;
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
