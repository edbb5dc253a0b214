package dev.cellar.sample;

import java.util.SplittableRandom;

/**
 * Rows of {@code inventory}: stock of every menu item at its cafe, last counted in the final days of
 * the history. In a history longer than the default, one item in {@value #DORMANT_ONE_IN} has not been
 * counted since some day of the history (a dish taken off the menu), so the 3-year inventory rule has rows to act on.
 */
final class InventoryRows implements TableRows {
    static final int DORMANT_ONE_IN = 6;

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
        // a stream of its own, so the default history's rows stay what they always were
        SplittableRandom dormant = Seeds.stream(world.seed(), "inventory-dormant");
        Menu menu = world.menu();
        for (int c = 0; c < menu.cafes(); c++) {
            for (int itemId : menu.itemIds()[c]) {
                out.number(menu.cafeIds()[c]).number(itemId).number(rng.nextInt(400)).number(10 + rng.nextInt(40));
                long counted = world.endSecond() - 1 - rng.nextInt(7 * 86_400);
                if (world.spec().longHistory() && dormant.nextInt(DORMANT_ONE_IN) == 0) {
                    counted = (world.firstDay() + dormant.nextInt(world.days())) * Timestamps.SECONDS_PER_DAY + dormant.nextInt(86_400);
                }
                out.timestamp(counted).endRow();
            }
        }
    }
}
