package dev.cellar.sample;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** New, still-open orders placed at random times in a window, numbered from {@code firstId}. */
final class RecentOrders implements OrderSource {
    private final OrderFactory factory;
    private final long streamSeed;
    private final long firstId;
    private final long[] times;

    RecentOrders(OrderFactory factory, long streamSeed, long firstId, int count, long fromSecond, long toSecond) {
        this.factory = factory;
        this.streamSeed = streamSeed;
        this.firstId = firstId;
        SplittableRandom rng = new SplittableRandom(streamSeed ^ 0x7135L);
        this.times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = fromSecond + rng.nextLong(Math.max(1, toSecond - fromSecond + 1));
        }
        Arrays.sort(times);
    }

    @Override
    public void forEach(Consumer<PlacedOrder> action) {
        SplittableRandom rng = new SplittableRandom(streamSeed);
        for (int i = 0; i < times.length; i++) {
            action.accept(factory.place(rng, firstId + i, times[i], false));
        }
    }
}
