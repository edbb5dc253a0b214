package dev.cellar.sample;

import java.util.SplittableRandom;

/**
 * Rows of {@code payments}, one per order, numbered from {@code firstId}. The payment's status
 * follows the order's: captured when delivered, authorised while open, voided or failed when
 * cancelled, refunded when refunded.
 */
final class PaymentRows implements TableRows {
    private static final long TEXT_SALT = 0xCA5E_0001L;

    private final OrderSource orders;
    private final long firstId;

    PaymentRows(OrderSource orders, long firstId) {
        this.orders = orders;
        this.firstId = firstId;
    }

    @Override
    public String table() {
        return "payments";
    }

    @Override
    public String columns() {
        return "id, order_id, order_created_at, method, status, amount, tip, card_last4, processor_ref, paid_at";
    }

    @Override
    public void writeTo(RowWriter out) {
        long[] nextId = {firstId};
        orders.forEach(o -> {
            SplittableRandom rng = new SplittableRandom(o.textSeed() ^ TEXT_SALT);
            out.number(nextId[0]++).number(o.id()).timestamp(o.createdAt()).text(o.paymentMethod())
                    .text(status(o.status(), rng)).money(o.totalCents()).money(o.tipCents())
                    .text(o.paymentMethod().equals("card") ? Integer.toString(10_000 + rng.nextInt(10_000)).substring(1) : null)
                    .text(o.paymentMethod().equals("cash") ? "cash_" + o.cafeId() + "_" + o.id() : FakeText.processorRef(rng))
                    .timestamp(o.createdAt() + 3 + rng.nextInt(90))
                    .endRow();
        });
    }

    private static String status(String orderStatus, SplittableRandom rng) {
        return switch (orderStatus) {
            case "delivered" -> "captured";
            case "refunded" -> "refunded";
            case "cancelled" -> rng.nextInt(3) == 0 ? "failed" : "voided";
            default -> "authorized";
        };
    }
}
