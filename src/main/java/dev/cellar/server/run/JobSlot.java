package dev.cellar.server.run;

import java.time.Instant;
import java.util.Objects;

/**
 * One scheduled instant of one job: what a node asks the ledger to run.
 *
 * @param jobKey       the job's stable key, e.g. {@code full:restaurant_ordering}
 * @param kind         the job kind, e.g. {@code backup-full}
 * @param database     the database the job is for, or null for a repository-wide job
 * @param scheduledFor the instant the schedule named, not the instant the run starts
 * @param late         the run is made after its instant had passed (the daemons were down)
 * @param missedSlots  how many earlier slots this one late run stands for (0 when on time)
 */
public record JobSlot(String jobKey, String kind, String database, Instant scheduledFor, boolean late, int missedSlots) {
    public JobSlot {
        Objects.requireNonNull(jobKey, "jobKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scheduledFor, "scheduledFor");
    }

    public static JobSlot onTime(String jobKey, String kind, String database, Instant scheduledFor) {
        return new JobSlot(jobKey, kind, database, scheduledFor, false, 0);
    }
}
