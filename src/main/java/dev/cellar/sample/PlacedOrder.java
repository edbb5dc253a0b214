package dev.cellar.sample;

/**
 * One generated order with everything the orders, order_items and payments rows need, so the
 * three tables agree (items add up to the subtotal, the payment to the total).
 * {@code textSeed} seeds the free text of the order's rows.
 */
record PlacedOrder(long id, long createdAt, long updatedAt, int cafeId, long userId, String status,
                   String fulfillment, int[] itemIds, int[] quantities, long[] unitCents,
                   long subtotalCents, long taxCents, long deliveryFeeCents, String paymentMethod,
                   long tipCents, long textSeed) {

    long totalCents() {
        return subtotalCents + taxCents + deliveryFeeCents;
    }

}
