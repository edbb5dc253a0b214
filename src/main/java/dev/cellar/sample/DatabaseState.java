package dev.cellar.sample;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What churn needs to know about a loaded restaurant_ordering database before changing it. */
record DatabaseState(long totalRows, long inventoryRows, long maxOrderId, long latestOrderSecond,
                     long maxOrderItemId, long maxPaymentId, long maxActivityId, long maxUserId, Menu menu) {
    private static final String[] TABLES = {"cafes", "menu_items", "inventory", "employees", "users",
            "user_activity", "orders", "order_items", "payments", "audit.audit_logs"};

    static DatabaseState read(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            StringBuilder counts = new StringBuilder("SELECT ");
            for (int i = 0; i < TABLES.length; i++) {
                counts.append(i > 0 ? " + " : "").append("(SELECT count(*) FROM ").append(TABLES[i]).append(')');
            }
            long total = single(st, counts.toString());
            return new DatabaseState(total, single(st, "SELECT count(*) FROM inventory"),
                    single(st, "SELECT coalesce(max(id), 0) FROM orders"),
                    single(st, "SELECT coalesce(extract(epoch FROM max(created_at))::bigint, 0) FROM orders"),
                    single(st, "SELECT coalesce(max(id), 0) FROM order_items"),
                    single(st, "SELECT coalesce(max(id), 0) FROM payments"),
                    single(st, "SELECT coalesce(max(id), 0) FROM user_activity"),
                    single(st, "SELECT coalesce(max(id), 0) FROM users"),
                    menu(st));
        }
    }

    private static long single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The available menu items per cafe, in id order. */
    private static Menu menu(Statement st) throws SQLException {
        List<Integer> cafes = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        List<long[]> prices = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT cafe_id, array_agg(id ORDER BY id), array_agg(price ORDER BY id) "
                + "FROM menu_items WHERE available GROUP BY cafe_id ORDER BY cafe_id")) {
            while (rs.next()) {
                cafes.add(rs.getInt(1));
                Integer[] itemIds = (Integer[]) rs.getArray(2).getArray();
                BigDecimal[] itemPrices = (BigDecimal[]) rs.getArray(3).getArray();
                int[] idRow = new int[itemIds.length];
                long[] priceRow = new long[itemIds.length];
                for (int i = 0; i < itemIds.length; i++) {
                    idRow[i] = itemIds[i];
                    priceRow[i] = itemPrices[i].movePointRight(2).longValueExact();
                }
                ids.add(idRow);
                prices.add(priceRow);
            }
        }
        return new Menu(cafes.stream().mapToInt(Integer::intValue).toArray(), ids.toArray(int[][]::new),
                prices.toArray(long[][]::new));
    }
}
