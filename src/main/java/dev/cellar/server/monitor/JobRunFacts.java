package dev.cellar.server.monitor;

import dev.cellar.server.run.JobLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code cellar.job_run} says: the newest runs of each job (enough to count a streak of
 * failures and to see its newest slot) and, per job kind and database, totals over all history.
 */
public record JobRunFacts(List<JobLedger.RecordedRun> recent, List<Totals> totals) {
    public JobRunFacts {
        recent = List.copyOf(recent);
        totals = List.copyOf(totals);
    }

    /**
     * @param database     null for a job on the whole repository
     * @param lastSuccess  end of the newest run that succeeded; null when none did
     * @param lastDuration claimed-to-finished of the newest finished run; null when none finished
     * @param runsByStatus finished (and skipped) runs by {@code job_run.status}
     */
    public record Totals(String kind, String database, Instant lastSuccess, Duration lastDuration, Map<String, Long> runsByStatus) {
        public Totals {
            Objects.requireNonNull(kind, "kind");
            runsByStatus = Map.copyOf(runsByStatus);
        }
    }
}
