package dev.cellar.sample;

import java.time.DayOfWeek;
import java.time.LocalDate;

/**
 * Spreads a total over consecutive days the way a growing restaurant chain sees traffic: about
 * twice as busy at the end of the history as at its start, busiest on Fridays and Saturdays.
 * The per-day counts add up exactly to the total.
 */
final class DailyCounts {
    private static final double[] WEEKDAY_FACTOR = {0.85, 0.9, 0.95, 1.0, 1.2, 1.25, 1.05};

    private DailyCounts() {
    }

    static int[] spread(long total, long firstEpochDay, int days) {
        double[] cumulative = new double[days];
        double sum = 0;
        for (int d = 0; d < days; d++) {
            double growth = 0.65 + 0.7 * d / Math.max(1, days - 1);
            DayOfWeek dow = LocalDate.ofEpochDay(firstEpochDay + d).getDayOfWeek();
            sum += growth * WEEKDAY_FACTOR[dow.getValue() - 1];
            cumulative[d] = sum;
        }
        int[] counts = new int[days];
        long previous = 0;
        for (int d = 0; d < days; d++) {
            long upTo = Math.round(total * (cumulative[d] / sum));
            counts[d] = (int) (upTo - previous);
            previous = upTo;
        }
        return counts;
    }
}
