package dev.cellar.sample;

import java.util.SplittableRandom;

/**
 * What each cafe sells and at what price: the part of the menu that orders depend on. Built from
 * the seed when loading, or read back from the database when churning.
 *
 * @param cafeIds    cafe id per cafe index
 * @param itemIds    menu item ids per cafe index
 * @param priceCents price per menu item, parallel to {@code itemIds}
 */
record Menu(int[] cafeIds, int[][] itemIds, long[][] priceCents) {
    static final String[] CATEGORIES = {"coffee", "tea", "breakfast", "lunch", "dinner", "dessert", "drink"};
    /** Price range in cents per category, from and width. */
    private static final int[][] PRICE_RANGE = {{300, 350}, {250, 300}, {650, 900}, {950, 1300},
            {1400, 1800}, {450, 600}, {300, 400}};

    /** Menu items are numbered cafe by cafe: cafe c (1-based) owns ids ((c-1)*perCafe, c*perCafe]. */
    static Menu generate(SampleVolumes volumes, long seed) {
        SplittableRandom rng = Seeds.stream(seed, "menu");
        int perCafe = volumes.menuItemsPerCafe();
        int[] cafeIds = new int[volumes.cafes()];
        int[][] itemIds = new int[volumes.cafes()][perCafe];
        long[][] prices = new long[volumes.cafes()][perCafe];
        for (int c = 0; c < cafeIds.length; c++) {
            cafeIds[c] = c + 1;
            for (int i = 0; i < perCafe; i++) {
                itemIds[c][i] = c * perCafe + i + 1;
                int[] range = PRICE_RANGE[category(itemIds[c][i])];
                prices[c][i] = (range[0] + rng.nextInt(range[1])) / 5 * 5;
            }
        }
        return new Menu(cafeIds, itemIds, prices);
    }

    /** Category index of a generated menu item: a fixed rotation so every cafe has every kind. */
    static int category(int menuItemId) {
        return (menuItemId - 1) % CATEGORIES.length;
    }

    int cafes() {
        return cafeIds.length;
    }
}
