package dev.cellar.recover;

import java.time.Duration;
import java.time.Instant;

/**
 * One step of a recovery as it ran (or, in a dry run, as it would run): what the result record
 * lists, and what the command prints as the recovery goes.
 *
 * @param name    short kind of the step: backup, sessions, pre-hook, block-connections, restore, post-hook, ...
 * @param detail  what the step does, e.g. the hook's command or the backup restored
 * @param started when it started (null for a step that did not run)
 * @param output  what the step said: a hook's captured output, the sessions found, an error message; empty if nothing
 */
public record RecoverStep(String name, String detail, Instant started, Duration duration, Outcome outcome, String output) {
    public enum Outcome {
        /** Ran and succeeded. */
        DONE,
        /** Ran and failed. */
        FAILED,
        /** Not run because an earlier step failed. */
        SKIPPED,
        /** Not run: a dry run, which only says what would run. */
        PLANNED
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }
}
