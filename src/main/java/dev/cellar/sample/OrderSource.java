package dev.cellar.sample;

import java.util.function.Consumer;

/**
 * A replayable sequence of orders. The orders, order_items and payments tables are each copied in
 * their own pass over the same source, which regenerates identical orders every time instead of
 * keeping them in memory.
 */
@FunctionalInterface
interface OrderSource {
    void forEach(Consumer<PlacedOrder> action);
}
