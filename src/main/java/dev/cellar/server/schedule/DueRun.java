package dev.cellar.server.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * The one run a schedule asks for now (see {@link Schedule#dueSince}).
 *
 * @param scheduled    the slot this run is for: the newest one that came
 * @param slotsDropped older slots since the last one handled that will not run on their own,
 *                     because this run stands for them (0 in normal operation)
 * @param late         whether the run starts after its slot's grace, or stands for dropped slots:
 *                     the daemon records it as late and alerts
 * @param lateBy       how long after its slot the run is being made
 */
public record DueRun(Instant scheduled, long slotsDropped, boolean late, Duration lateBy) {

    static DueRun of(Instant scheduled, long slotsInSpan, Instant now, Duration onTimeGrace) {
        Duration lateBy = Duration.between(scheduled, now);
        long dropped = slotsInSpan - 1;
        return new DueRun(scheduled, dropped, dropped > 0 || lateBy.compareTo(onTimeGrace) > 0, lateBy);
    }
}
