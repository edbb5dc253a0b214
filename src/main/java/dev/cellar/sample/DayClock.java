package dev.cellar.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Times of day for events in one day, weighted towards breakfast, lunch and dinner rushes and
 * returned in ascending order so that ids grow with time as they do in a live database.
 */
final class DayClock {
    /** Relative traffic per hour of the day (UTC), 0 to 23. */
    private static final int[] HOUR_WEIGHT =
            {1, 0, 0, 0, 0, 1, 3, 8, 10, 7, 6, 10, 16, 14, 7, 5, 6, 9, 13, 14, 10, 6, 3, 2};
    private static final int[] CUMULATIVE = new int[24];
    private static final int TOTAL;

    static {
        int sum = 0;
        for (int h = 0; h < 24; h++) {
            sum += HOUR_WEIGHT[h];
            CUMULATIVE[h] = sum;
        }
        TOTAL = sum;
    }

    private DayClock() {
    }

    static long[] times(SplittableRandom rng, long epochDay, int count) {
        long[] times = new long[count];
        long dayStart = epochDay * Timestamps.SECONDS_PER_DAY;
        for (int i = 0; i < count; i++) {
            times[i] = dayStart + hour(rng) * 3600L + rng.nextInt(3600);
        }
        Arrays.sort(times);
        return times;
    }

    private static int hour(SplittableRandom rng) {
        int r = rng.nextInt(TOTAL);
        int h = 0;
        while (CUMULATIVE[h] <= r) {
            h++;
        }
        return h;
    }
}
