package dev.cellar.server.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the daemon does with a due slot while the job may still be running, and when a run has
 * gone on too long. A job never runs twice at once: a slot that comes while its previous run is
 * still going is recorded as skipped (and alerted), never started as a second run.
 */
public final class OverlapPolicy {
    private OverlapPolicy() {
    }

    /** The decision for one due slot. */
    public enum Decision { RUN, SKIP_STILL_RUNNING }

    /**
     * @param runningSince when the job's current run started; empty when none is running
     */
    public static Decision decide(Optional<Instant> runningSince) {
        return runningSince.isPresent() ? Decision.SKIP_STILL_RUNNING : Decision.RUN;
    }

    /** Whether a run started at {@code startedAt} is past the job's time-out at {@code now}. */
    public static boolean timedOut(ScheduledJob job, Instant startedAt, Instant now) {
        return Duration.between(startedAt, now).compareTo(job.timeout()) > 0;
    }
}
