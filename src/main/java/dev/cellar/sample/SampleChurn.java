package dev.cellar.sample;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * Changes a loaded restaurant_ordering database the way a day or two of real traffic would, so
 * incremental backups have realistic work: new orders with their items and payments in the
 * latest month, the oldest open orders delivered (their payments captured, the trigger auditing
 * each status change), new browsing activity, stock counts of a few cafes, and the oldest
 * activity deleted under the retention rule. About {@code fraction} of all rows are touched,
 * split roughly 35% new orders, 20% new activity, 15% delivered orders and payments, 10%
 * inventory and 20% deletions; the same seed on the same database makes the same changes.
 */
public final class SampleChurn {
    /** Rows an order brings along: itself, about 2.6 items and a payment. */
    private static final double ROWS_PER_ORDER = 4.6;
    private static final long WINDOW_SECONDS = 7 * Timestamps.SECONDS_PER_DAY;

    private SampleChurn() {
    }

    public static ChurnResult apply(Connection c, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new CellarException(ErrorCode.USAGE, "churn fraction must be in (0, 1], got " + fraction);
        }
        long[] result = new long[3];
        try {
            Transactions.inOne(c, () -> {
                DatabaseState state = DatabaseState.read(c);
                long budget = Math.round(fraction * state.totalRows());
                SplittableRandom rng = Seeds.stream(seed, "churn");
                long inventory = Math.min(state.inventoryRows(), Math.round(budget * 0.10));
                long newOrders = Math.round(budget * 0.35 / ROWS_PER_ORDER);
                long newActivity = Math.round(budget * 0.30) - inventory;
                long deliveries = Math.round(budget * 0.15 / 2);
                long deletions = Math.round(budget * 0.20);

                result[0] += insertOrders(c, state, newOrders, seed);
                result[0] += insertActivity(c, state, newActivity, seed);
                long delivered = deliverOldestOpenOrders(c, deliveries);
                result[0] += delivered; // one audit row each, written by the status trigger
                result[1] += delivered + captureDeliveredPayments(c);
                result[1] += updateInventory(c, state, inventory, rng);
                result[2] += deleteOldestActivity(c, deletions);
                Sequences.syncToMaxIds(c);
            });
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "churning the sample database failed: " + e.getMessage(),
                    "churn works on a database loaded by SampleLoader", e);
        }
        return new ChurnResult(result[0], result[1], result[2]);
    }

    private static long insertOrders(Connection c, DatabaseState state, long count, long seed) throws SQLException {
        if (count == 0 || state.menu().cafes() == 0) {
            return 0;
        }
        long latest = state.latestOrderSecond();
        long monthStart = LocalDate.ofEpochDay(Math.floorDiv(latest, Timestamps.SECONDS_PER_DAY)).withDayOfMonth(1)
                .toEpochDay() * Timestamps.SECONDS_PER_DAY;
        long maxUser = state.maxUserId();
        OrderFactory factory = new OrderFactory(state.menu(), (rng, day) -> 1 + rng.nextLong(maxUser));
        OrderSource orders = new RecentOrders(factory, Seeds.seedFor(seed, "churn-orders"), state.maxOrderId() + 1,
                (int) count, Math.max(monthStart, latest - WINDOW_SECONDS), latest);
        return CopyLoader.copy(c, new OrderRows(orders))
                + CopyLoader.copy(c, new OrderItemRows(orders, state.maxOrderItemId() + 1))
                + CopyLoader.copy(c, new PaymentRows(orders, state.maxPaymentId() + 1));
    }

    private static long insertActivity(Connection c, DatabaseState state, long count, long seed) throws SQLException {
        if (count <= 0) {
            return 0;
        }
        long lastDay = Math.floorDiv(state.latestOrderSecond(), Timestamps.SECONDS_PER_DAY);
        int days = 7;
        long maxUser = state.maxUserId();
        UserActivityRows rows = new UserActivityRows(Seeds.seedFor(seed, "churn-activity"), state.maxActivityId() + 1,
                lastDay - days + 1, DailyCounts.spread(count, lastDay - days + 1, days),
                (rng, day) -> 1 + rng.nextLong(maxUser), state.menu().cafes());
        return CopyLoader.copy(c, rows);
    }

    /** Open orders are served first come, first served: the oldest open ones get delivered. */
    private static long deliverOldestOpenOrders(Connection c, long count) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                WITH target AS (
                    SELECT id, created_at FROM orders
                    WHERE status IN ('pending', 'confirmed', 'preparing', 'ready', 'out_for_delivery')
                    ORDER BY created_at, id LIMIT ?)
                UPDATE orders o
                SET status = 'delivered', updated_at = o.created_at + make_interval(mins => 20 + (o.id % 40)::int)
                FROM target t
                WHERE o.id = t.id AND o.created_at = t.created_at""")) {
            ps.setLong(1, count);
            return ps.executeUpdate();
        }
    }

    private static long captureDeliveredPayments(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE payments p SET status = 'captured'
                FROM orders o
                WHERE p.status = 'authorized' AND o.status = 'delivered'
                  AND p.order_id = o.id AND p.order_created_at = o.created_at""")) {
            return ps.executeUpdate();
        }
    }

    /** A stock count at a few consecutive cafes: items sold down, the ones below reorder level restocked. */
    private static long updateInventory(Connection c, DatabaseState state, long count, SplittableRandom rng)
            throws SQLException {
        if (count == 0) {
            return 0;
        }
        int startCafe = state.menu().cafeIds()[rng.nextInt(state.menu().cafes())];
        try (PreparedStatement ps = c.prepareStatement("""
                WITH target AS (
                    SELECT cafe_id, menu_item_id FROM inventory
                    ORDER BY cafe_id < ?, cafe_id, menu_item_id LIMIT ?)
                UPDATE inventory i
                SET quantity = CASE WHEN i.quantity < i.reorder_level THEN i.quantity + 200
                                    ELSE greatest(0, i.quantity - (i.menu_item_id * 37 + ?) % 30) END,
                    updated_at = ?
                FROM target t
                WHERE i.cafe_id = t.cafe_id AND i.menu_item_id = t.menu_item_id""")) {
            ps.setInt(1, startCafe);
            ps.setLong(2, count);
            ps.setInt(3, rng.nextInt(1000));
            ps.setObject(4, Instant.ofEpochSecond(state.latestOrderSecond()).atOffset(ZoneOffset.UTC));
            return ps.executeUpdate();
        }
    }

    /** Retention: user activity goes oldest first. */
    private static long deleteOldestActivity(Connection c, long count) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM user_activity
                WHERE id IN (SELECT id FROM user_activity ORDER BY occurred_at, id LIMIT ?)""")) {
            ps.setLong(1, count);
            return ps.executeUpdate();
        }
    }
}
