package dev.cellar.server.run;

/**
 * What the scheduler tells the rest of the daemon (alerts, metrics, the catalog's ingest) about
 * runs. Called on the scheduler's and the workers' threads; implementations must not block long.
 */
public interface RunEvents {
    RunEvents NONE = new RunEvents() {
    };

    default void started(RunClaim claim) {
    }

    default void finished(RunClaim claim, RunStatus status, String summary) {
    }

    default void skipped(JobSlot slot, ClaimOutcome.Skipped skipped) {
    }

    default void retried(RunClaim retry) {
    }

    /** The scheduler looked at every job; {@code runningJobs} runs are going on this node. */
    default void ticked(java.time.Instant at, int runningJobs) {
    }
}
