package dev.cellar.server.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One run of a job as the catalog records it, for the failure and time-out conditions.
 *
 * @param job      the job kind, e.g. {@code backup}, {@code expire}, {@code sync}
 * @param database the database it worked on; null for a job on the whole repository
 * @param variant  what kind of run within the job, e.g. {@code full}; null when the job has one kind
 * @param finished null while it runs
 * @param timeout  the job's configured time-out; null for none
 * @param error    the error of a failed run; null otherwise
 */
public record JobRun(String job, String database, String variant, Instant started, Instant finished, Status status,
        Duration timeout, String error) {
    public enum Status { RUNNING, SUCCEEDED, FAILED, INTERRUPTED }

    public JobRun {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(status, "status");
    }

    /** The runs that are judged together: the same job on the same database, of the same kind. */
    String group() {
        return Finding.key(job, database, variant);
    }

    /** {@code backup full of restaurant_ordering}, {@code sync}: how texts name the job. */
    String described() {
        String what = variant == null ? job : job + " " + variant;
        return database == null ? what : what + " of " + database;
    }
}
