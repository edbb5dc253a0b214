package dev.cellar.lifecycle.retention;

import java.time.Duration;

/** Waits between two delete batches, so retention leaves room to the database's own traffic; tests pass one that does not wait. */
@FunctionalInterface
public interface BatchPause {
    void pause(Duration between) throws InterruptedException;

    BatchPause SLEEP = between -> {
        if (!between.isZero()) {
            Thread.sleep(between.toMillis());
        }
    };
}
