package dev.cellar.recover;

import dev.cellar.error.CellarException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a recovery's steps one after the other, timing each, telling the listener, and keeping the
 * list the result record holds. In a dry run nothing is run: each step is listed as planned.
 */
public final class StepRecorder {
    private final Clock clock;
    private final StepListener listener;
    private final boolean dryRun;
    private final List<RecoverStep> steps = new ArrayList<>();

    public StepRecorder(Clock clock, StepListener listener, boolean dryRun) {
        this.clock = clock;
        this.listener = listener;
        this.dryRun = dryRun;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /**
     * Runs {@code work}, which returns what it has to say (or ""), or in a dry run lists it as
     * planned. A step that throws is recorded as failed and the exception goes on.
     */
    public void run(String name, String detail, Supplier<String> work) {
        if (dryRun) {
            plan(name, detail);
            return;
        }
        always(name, detail, work);
    }

    /** Runs {@code work} even in a dry run: for the steps that only read (the backup, the sessions). */
    public void always(String name, String detail, Supplier<String> work) {
        listener.started(name, detail);
        Instant started = clock.instant();
        String output;
        try {
            output = work.get();
        } catch (RuntimeException e) {
            add(new RecoverStep(name, detail, started, Duration.between(started, clock.instant()), RecoverStep.Outcome.FAILED, message(e)));
            throw e;
        }
        add(new RecoverStep(name, detail, started, Duration.between(started, clock.instant()), RecoverStep.Outcome.DONE, output));
    }

    /** A step that ran elsewhere (a hook) and is recorded with its own outcome. */
    public void record(String name, String detail, Instant started, boolean ok, String output) {
        add(new RecoverStep(name, detail, started, Duration.between(started, clock.instant()),
                ok ? RecoverStep.Outcome.DONE : RecoverStep.Outcome.FAILED, output));
    }

    public void starting(String name, String detail) {
        listener.started(name, detail);
    }

    public void plan(String name, String detail) {
        add(new RecoverStep(name, detail, null, Duration.ZERO, RecoverStep.Outcome.PLANNED, ""));
    }

    public void skip(String name, String detail, String why) {
        add(new RecoverStep(name, detail, null, Duration.ZERO, RecoverStep.Outcome.SKIPPED, why));
    }

    public Instant now() {
        return clock.instant();
    }

    public List<RecoverStep> steps() {
        return List.copyOf(steps);
    }

    private void add(RecoverStep step) {
        steps.add(step);
        listener.finished(step);
    }

    private static String message(RuntimeException e) {
        return e instanceof CellarException ce && ce.hint() != null ? ce.getMessage() + " (" + ce.hint() + ")" : String.valueOf(e.getMessage());
    }
}
