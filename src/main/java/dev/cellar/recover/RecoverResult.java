package dev.cellar.recover;

import java.time.Duration;
import java.util.List;

/**
 * What {@code cellar recover} did (or, in a dry run, would do), step by step.
 *
 * @param mode      "logical" (a database replaced from a logical backup) or "physical" (a data directory, point in time)
 * @param target    the database, or the data directory
 * @param backupId  the backup restored (logical; null in a physical dry run, where the restore picks it)
 * @param ok        every step that ran succeeded
 * @param errorCode the failure's exit code name, or null when ok
 * @param error     the failure, or null
 * @param hint      what to do about it, or null
 * @param exitCode  what the command exits with
 */
public record RecoverResult(String mode, String target, String backupId, boolean dryRun, boolean ok, List<RecoverStep> steps,
                            String errorCode, String error, String hint, int exitCode, Duration duration) {
    public RecoverResult {
        steps = List.copyOf(steps);
    }
}
