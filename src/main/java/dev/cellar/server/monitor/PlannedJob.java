package dev.cellar.server.monitor;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A job of the plan as the observation judges it.
 *
 * @param database         null for a job on the whole repository
 * @param successObjective the longest the job may go without a success (its schedule's widest gap
 *                         plus slack); empty for a job that never runs by schedule
 */
public record PlannedJob(String key, String kind, String database, Duration timeout, Optional<Duration> successObjective) {
    public PlannedJob {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(successObjective, "successObjective");
    }
}
