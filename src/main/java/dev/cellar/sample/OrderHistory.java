package dev.cellar.sample;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The generated history of orders: ids 1..n in time order over the world's days, with daily
 * volumes from {@link DailyCounts}. Orders of the last {@value #OPEN_HOURS} hours are still open.
 */
final class OrderHistory implements OrderSource {
    static final int OPEN_HOURS = 6;

    private final SampleWorld world;
    private final int[] perDay;

    OrderHistory(SampleWorld world) {
        this.world = world;
        this.perDay = DailyCounts.spread(world.volumes().orders(), world.firstDay(), world.days());
    }

    @Override
    public void forEach(Consumer<PlacedOrder> action) {
        SplittableRandom rng = Seeds.stream(world.seed(), "orders");
        OrderFactory factory = new OrderFactory(world.menu(), world.users());
        long openFrom = world.endSecond() - OPEN_HOURS * 3600L;
        long id = 1;
        for (int d = 0; d < perDay.length; d++) {
            for (long createdAt : DayClock.times(rng, world.firstDay() + d, perDay[d])) {
                action.accept(factory.place(rng, id++, createdAt, createdAt < openFrom));
            }
        }
    }
}
