package dev.cellar.server.run;

import java.time.Instant;

/**
 * An attempt at a slot that this node owns: it runs the job, heartbeats while it runs and
 * finishes the row. {@code attempt} is above 1 when it retries a run whose node stopped answering.
 */
public record RunClaim(long id, JobSlot slot, int attempt, String node, Instant claimedAt) {
}
