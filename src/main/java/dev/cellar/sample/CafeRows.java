package dev.cellar.sample;

import java.util.SplittableRandom;

/** Rows of {@code cafes}. */
final class CafeRows implements TableRows {
    private static final String[] KINDS = {"Cafe", "Kitchen", "Coffee House", "Bistro", "Eatery", "Canteen"};

    private final SampleWorld world;

    CafeRows(SampleWorld world) {
        this.world = world;
    }

    @Override
    public String table() {
        return "cafes";
    }

    @Override
    public String columns() {
        return "id, name, street, city, postal_code, phone, opened_on, seats, created_at";
    }

    @Override
    public void writeTo(RowWriter out) {
        SplittableRandom rng = Seeds.stream(world.seed(), "cafes");
        for (int cafeId : world.menu().cafeIds()) {
            long opened = world.cafeOpenedDay(cafeId);
            out.number(cafeId)
                    .text(Words.pick(rng, Words.STREET_NAMES) + " " + Words.pick(rng, KINDS) + " #" + cafeId)
                    .text(FakeText.street(rng)).text(Words.pick(rng, Words.CITIES)).text(FakeText.postalCode(rng))
                    .text(FakeText.phone(rng)).date(opened).number(20 + rng.nextInt(120))
                    .timestamp(opened * Timestamps.SECONDS_PER_DAY - 86_400L * rng.nextInt(60))
                    .endRow();
        }
    }
}
