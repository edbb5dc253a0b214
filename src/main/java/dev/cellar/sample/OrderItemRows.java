package dev.cellar.sample;

import java.util.SplittableRandom;

/** Rows of {@code order_items}, numbered from {@code firstId}; line_total is computed by the database. */
final class OrderItemRows implements TableRows {
    /** Salt so item text does not repeat the order's own text stream. */
    private static final long TEXT_SALT = 0x5EEDL;

    private final OrderSource orders;
    private final long firstId;

    OrderItemRows(OrderSource orders, long firstId) {
        this.orders = orders;
        this.firstId = firstId;
    }

    @Override
    public String table() {
        return "order_items";
    }

    @Override
    public String columns() {
        return "id, order_id, order_created_at, menu_item_id, quantity, unit_price, special_requests";
    }

    @Override
    public void writeTo(RowWriter out) {
        long[] nextId = {firstId};
        orders.forEach(o -> {
            SplittableRandom rng = new SplittableRandom(o.textSeed() ^ TEXT_SALT);
            for (int i = 0; i < o.itemIds().length; i++) {
                out.number(nextId[0]++).number(o.id()).timestamp(o.createdAt()).number(o.itemIds()[i])
                        .number(o.quantities()[i]).money(o.unitCents()[i])
                        .text(rng.nextInt(12) == 0 ? request(rng) : null)
                        .endRow();
            }
        });
    }

    private static String request(SplittableRandom rng) {
        return rng.nextBoolean() ? "Extra " + Words.pick(rng, Words.INGREDIENTS) : "No " + Words.pick(rng, Words.INGREDIENTS);
    }
}
