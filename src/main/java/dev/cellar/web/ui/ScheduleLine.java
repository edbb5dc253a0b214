package dev.cellar.web.ui;

import java.time.Instant;
import java.util.List;

/**
 * One scheduled job: its next runs from the plan and its newest run from job_run.
 *
 * @param lastStatus null when it never ran
 */
public record ScheduleLine(String key, String kind, String database, String schedule, List<Instant> nextRuns, String lastStatus,
        Instant lastScheduledFor, Instant lastFinishedAt, String lastError) {
    public ScheduleLine {
        nextRuns = List.copyOf(nextRuns);
    }
}
