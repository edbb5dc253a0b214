package dev.cellar.server.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * What became of one scheduled time of a job.
 *
 * @param database null for a job on the whole repository
 * @param startedAt when the run began; null when it was skipped
 */
public record ScheduledSlot(String job, String database, Instant scheduledAt, Outcome outcome, Instant startedAt) {
    /** ON_TIME: ran at its time; LATE: ran once after downtime made it miss its time; SKIPPED: the previous run was still going. */
    public enum Outcome { ON_TIME, LATE, SKIPPED }

    public ScheduledSlot {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(scheduledAt, "scheduledAt");
        Objects.requireNonNull(outcome, "outcome");
    }
}
