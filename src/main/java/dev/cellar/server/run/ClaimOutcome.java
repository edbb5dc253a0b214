package dev.cellar.server.run;

import java.time.Instant;

/** What came of asking the ledger for a slot. */
public sealed interface ClaimOutcome {
    /** This node owns the run and must run it. */
    record Claimed(RunClaim claim) implements ClaimOutcome {
    }

    /**
     * The slot came while an earlier run of the same job was still going: recorded as skipped
     * (never a second run beside the first), for an alert to say so.
     */
    record Skipped(long skippedRunId, String runningNode, Instant runningSince, Instant runningSlot) implements ClaimOutcome {
    }

    /** Another node (or this one, earlier) already took or skipped this slot. */
    record AlreadyHandled() implements ClaimOutcome {
    }
}
