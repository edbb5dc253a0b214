package dev.cellar.sample;

import java.util.SplittableRandom;

/** Rows of {@code menu_items}; prices and categories come from the world's {@link Menu}, names and options are free text. */
final class MenuItemRows implements TableRows {
    private final SampleWorld world;

    MenuItemRows(SampleWorld world) {
        this.world = world;
    }

    @Override
    public String table() {
        return "menu_items";
    }

    @Override
    public String columns() {
        return "id, cafe_id, name, description, category, price, options, available, created_at";
    }

    @Override
    public void writeTo(RowWriter out) {
        SplittableRandom rng = Seeds.stream(world.seed(), "menu-text");
        Menu menu = world.menu();
        for (int c = 0; c < menu.cafes(); c++) {
            int cafeId = menu.cafeIds()[c];
            for (int i = 0; i < menu.itemIds()[c].length; i++) {
                int id = menu.itemIds()[c][i];
                out.number(id).number(cafeId).text(FakeText.dishName(rng)).text(FakeText.dishDescription(rng))
                        .text(Menu.CATEGORIES[Menu.category(id)]).money(menu.priceCents()[c][i])
                        .text(options(rng)).bool(rng.nextInt(20) > 0)
                        .timestamp(world.cafeOpenedDay(cafeId) * Timestamps.SECONDS_PER_DAY + rng.nextInt(86_400 * 400))
                        .endRow();
            }
        }
    }

    private static String options(SplittableRandom rng) {
        JsonText json = new JsonText().put("vegan", rng.nextInt(4) == 0).put("spicy_level", rng.nextInt(4));
        if (rng.nextBoolean()) {
            json.putRaw("sizes", "[\"small\",\"regular\",\"large\"]").put("large_surcharge_cents", 50 + 10 * rng.nextInt(10));
        }
        json.putRaw("extras", "[\"" + Words.pick(rng, Words.INGREDIENTS) + "\",\"" + Words.pick(rng, Words.INGREDIENTS) + "\"]");
        return json.toString();
    }
}
