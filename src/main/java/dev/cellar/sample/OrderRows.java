package dev.cellar.sample;

import java.util.SplittableRandom;

/** Rows of {@code orders}: delivery orders carry a JSON delivery address, some orders a customer note. */
final class OrderRows implements TableRows {
    private final OrderSource orders;

    OrderRows(OrderSource orders) {
        this.orders = orders;
    }

    @Override
    public String table() {
        return "orders";
    }

    @Override
    public String columns() {
        return "id, created_at, updated_at, cafe_id, user_id, status, fulfillment, subtotal, tax, delivery_fee, "
                + "total, delivery_details, notes";
    }

    @Override
    public void writeTo(RowWriter out) {
        orders.forEach(o -> {
            SplittableRandom rng = new SplittableRandom(o.textSeed());
            out.number(o.id()).timestamp(o.createdAt()).timestamp(o.updatedAt()).number(o.cafeId())
                    .number(o.userId()).text(o.status()).text(o.fulfillment()).money(o.subtotalCents())
                    .money(o.taxCents()).money(o.deliveryFeeCents()).money(o.totalCents())
                    .text(o.fulfillment().equals("delivery") ? deliveryDetails(rng) : null)
                    .text(rng.nextInt(4) == 0 ? FakeText.note(rng) : null)
                    .endRow();
        });
    }

    private static String deliveryDetails(SplittableRandom rng) {
        JsonText json = new JsonText()
                .put("street", FakeText.street(rng))
                .put("city", Words.pick(rng, Words.CITIES))
                .put("postal_code", FakeText.postalCode(rng))
                .put("contact_phone", FakeText.phone(rng))
                .put("courier", FakeText.fullName(rng))
                .put("eta_minutes", 15 + rng.nextInt(45))
                .put("contactless", rng.nextBoolean());
        if (rng.nextInt(3) == 0) {
            json.put("instructions", FakeText.note(rng));
        }
        return json.toString();
    }
}
