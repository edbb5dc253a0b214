package dev.cellar.recover;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs the pre- or post-hooks in order, each as a step of the recovery. */
public final class HookSequence {
    private final HookRunner runner;
    private final StepRecorder steps;

    public HookSequence(HookRunner runner, StepRecorder steps) {
        this.runner = runner;
        this.steps = steps;
    }

    /** The hooks that succeeded, and the first that failed (then the rest were skipped) or none. */
    public record Outcome(List<String> succeeded, Optional<HookRun> failed) {
    }

    /**
     * Runs {@code hooks} in order.
     *
     * @param stopAtFailure whether a failed hook skips the ones after it (pre-hooks) or not (post-hooks: bring back what can be)
     */
    public Outcome run(String stepName, List<String> hooks, boolean stopAtFailure) {
        List<String> succeeded = new ArrayList<>();
        HookRun firstFailure = null;
        for (String hook : hooks) {
            if (steps.dryRun()) {
                steps.plan(stepName, hook);
                continue;
            }
            if (firstFailure != null && stopAtFailure) {
                steps.skip(stepName, hook, "not run: an earlier " + stepName + " failed");
                continue;
            }
            steps.starting(stepName, hook);
            Instant started = steps.now();
            HookRun run = runner.run(hook);
            steps.record(stepName, hook, started, run.ok(), run.ok() ? run.output() : join(run.output(), run.problem()));
            if (run.ok()) {
                succeeded.add(hook);
            } else if (firstFailure == null) {
                firstFailure = run;
            }
        }
        return new Outcome(succeeded, Optional.ofNullable(firstFailure));
    }

    private static String join(String output, String problem) {
        return output.isEmpty() ? problem : output + "\n" + problem;
    }
}
