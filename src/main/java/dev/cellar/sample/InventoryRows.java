package dev.cellar.sample;

import java.util.SplittableRandom;

/** Rows of {@code inventory}: stock of every menu item at its cafe, last counted in the final days of the history. */
final class InventoryRows implements TableRows {
    private final SampleWorld world;

    InventoryRows(SampleWorld world) {
        this.world = world;
    }

    @Override
    public String table() {
        return "inventory";
    }

    @Override
    public String columns() {
        return "cafe_id, menu_item_id, quantity, reorder_level, updated_at";
    }

    @Override
    public void writeTo(RowWriter out) {
        SplittableRandom rng = Seeds.stream(world.seed(), "inventory");
        Menu menu = world.menu();
        for (int c = 0; c < menu.cafes(); c++) {
            for (int itemId : menu.itemIds()[c]) {
                out.number(menu.cafeIds()[c]).number(itemId).number(rng.nextInt(400)).number(10 + rng.nextInt(40))
                        .timestamp(world.endSecond() - 1 - rng.nextInt(7 * 86_400))
                        .endRow();
            }
        }
    }
}
