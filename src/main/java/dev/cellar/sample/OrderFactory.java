package dev.cellar.sample;

import java.util.SplittableRandom;

/**
 * Places one order: which cafe, which customer, what they bought and how it ended. Orders older
 * than a few hours are settled (mostly delivered, some cancelled or refunded); the newest are
 * still in progress, as on a live platform.
 */
final class OrderFactory {
    /** Basis points of sales tax. */
    private static final long TAX_BP = 888;
    private static final int[] LINE_COUNT_WEIGHTS = {25, 30, 22, 12, 7, 4};
    private static final String[] OPEN_STATUSES = {"pending", "confirmed", "preparing", "ready", "out_for_delivery"};
    private static final String[] METHODS = {"card", "card", "card", "card", "card", "apple_pay", "apple_pay",
            "google_pay", "cash", "gift_card"};

    private final Menu menu;
    private final UserPicker users;

    OrderFactory(Menu menu, UserPicker users) {
        this.menu = menu;
        this.users = users;
    }

    PlacedOrder place(SplittableRandom rng, long id, long createdAt, boolean settled) {
        int cafe = rng.nextInt(menu.cafes());
        long userId = users.pick(rng, Math.floorDiv(createdAt, Timestamps.SECONDS_PER_DAY));
        int lines = lineCount(rng);
        int[] itemIds = new int[lines];
        int[] quantities = new int[lines];
        long[] unit = new long[lines];
        long subtotal = 0;
        int[] cafeItems = menu.itemIds()[cafe];
        for (int i = 0; i < lines; i++) {
            int pick = rng.nextInt(cafeItems.length);
            itemIds[i] = cafeItems[pick];
            int r = rng.nextInt(20);
            quantities[i] = r < 16 ? 1 : r < 19 ? 2 : 3;
            unit[i] = menu.priceCents()[cafe][pick];
            subtotal += quantities[i] * unit[i];
        }
        int f = rng.nextInt(10);
        String fulfillment = f < 5 ? "delivery" : f < 8 ? "pickup" : "dine_in";
        long fee = fulfillment.equals("delivery") ? 199 + 100L * rng.nextInt(4) : 0;
        long tax = (subtotal * TAX_BP + 5_000) / 10_000;
        String status = settled ? settledStatus(rng) : openStatus(rng, fulfillment);
        long updatedAt = createdAt + (settled ? 1200 + rng.nextInt(3300) : rng.nextInt(600));
        String method = METHODS[rng.nextInt(METHODS.length)];
        long tip = status.equals("delivered") && rng.nextInt(3) > 0 ? subtotal * (5 + rng.nextInt(16)) / 100 : 0;
        return new PlacedOrder(id, createdAt, updatedAt, menu.cafeIds()[cafe], userId, status, fulfillment,
                itemIds, quantities, unit, subtotal, tax, fee, method, tip, rng.nextLong());
    }

    private static int lineCount(SplittableRandom rng) {
        int r = rng.nextInt(100);
        int lines = 1;
        for (int weight : LINE_COUNT_WEIGHTS) {
            r -= weight;
            if (r < 0) {
                return lines;
            }
            lines++;
        }
        return LINE_COUNT_WEIGHTS.length;
    }

    private static String settledStatus(SplittableRandom rng) {
        int r = rng.nextInt(100);
        return r < 91 ? "delivered" : r < 97 ? "cancelled" : "refunded";
    }

    private static String openStatus(SplittableRandom rng, String fulfillment) {
        int bound = fulfillment.equals("delivery") ? OPEN_STATUSES.length : OPEN_STATUSES.length - 1;
        return OPEN_STATUSES[rng.nextInt(bound)];
    }
}
