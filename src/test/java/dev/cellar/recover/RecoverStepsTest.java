package dev.cellar.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of a recovery and its hooks: the refusal of a database in use, hooks in order, a failing or hanging hook, a dry run. */
class RecoverStepsTest {
    private final List<String> told = new ArrayList<>();
    private final StepListener listener = new StepListener() {
        @Override
        public void started(String name, String detail) {
            told.add("start " + name + " " + detail);
        }

        @Override
        public void finished(RecoverStep step) {
            told.add(step.outcome() + " " + step.name() + " " + step.detail());
        }
    };

    @Test
    void aDatabaseInUseIsRefusedNamingEachSessionUnlessForced() {
        List<LiveSession> sessions = List.of(new LiveSession("api", "restaurant-api", "10.0.0.5", 3), new LiveSession("dba", "", "local", 1));
        assertThat(SessionGate.refusal("restaurant_ordering", sessions, false)).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_IN_USE);
            assertThat(e.getMessage()).isEqualTo("database restaurant_ordering is in use: 3 sessions of user api from 10.0.0.5 "
                    + "(application 'restaurant-api'), 1 session of user dba from local; nothing was run or changed");
            assertThat(e.hint()).contains("--force", "recover.pre-hooks");
        });
        assertThat(SessionGate.refusal("restaurant_ordering", sessions, true)).isEmpty();
        assertThat(SessionGate.refusal("restaurant_ordering", List.of(), false)).isEmpty();
    }

    @Test
    void preHooksRunInOrderAndStopAtTheFirstFailure() {
        StepRecorder steps = new StepRecorder(Clock.systemUTC(), listener, false);
        HookSequence.Outcome outcome = new HookSequence(new HookRunner(Duration.ofSeconds(30), Clock.systemUTC()), steps)
                .run("pre-hook", List.of("echo one", "echo two >&2; exit 4", "echo three"), true);

        assertThat(outcome.succeeded()).containsExactly("echo one");
        assertThat(outcome.failed()).hasValueSatisfying(run -> {
            assertThat(run.exitCode()).isEqualTo(4);
            assertThat(run.output()).isEqualTo("two");
        });
        assertThat(steps.steps()).extracting(RecoverStep::outcome)
                .containsExactly(RecoverStep.Outcome.DONE, RecoverStep.Outcome.FAILED, RecoverStep.Outcome.SKIPPED);
        assertThat(steps.steps().get(0).output()).isEqualTo("one");
        assertThat(steps.steps().get(1).output()).isEqualTo("two\nexited with code 4");
    }

    @Test
    void postHooksAllRunEvenAfterAFailure() {
        StepRecorder steps = new StepRecorder(Clock.systemUTC(), listener, false);
        HookSequence.Outcome outcome = new HookSequence(new HookRunner(Duration.ofSeconds(30), Clock.systemUTC()), steps)
                .run("post-hook", List.of("false", "echo started"), false);

        assertThat(outcome.succeeded()).containsExactly("echo started");
        assertThat(steps.steps()).extracting(RecoverStep::outcome).containsExactly(RecoverStep.Outcome.FAILED, RecoverStep.Outcome.DONE);
    }

    @Test
    void aHookPastItsTimeLimitIsKilledAndFails() {
        HookRun run = new HookRunner(Duration.ofMillis(300), Clock.systemUTC()).run("echo waiting; sleep 600.4242");

        assertThat(run.timedOut()).isTrue();
        assertThat(run.ok()).isFalse();
        // only what the hook said: not the shell's "Killed" for a child killed before it
        assertThat(run.output()).isEqualTo("waiting");
        assertThat(run.problem()).startsWith("timed out after");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("600.4242")))
                .as("what the hook started is killed with it").isEmpty();
    }

    @Test
    void aDryRunListsEveryHookAsPlannedAndRunsNone() {
        StepRecorder steps = new StepRecorder(Clock.systemUTC(), listener, true);
        HookSequence.Outcome outcome = new HookSequence(new HookRunner(Duration.ofSeconds(30), Clock.systemUTC()), steps)
                .run("pre-hook", List.of("exit 1", "touch /nonexistent-folder/x"), true);
        steps.run("restore", "restore backup b1", () -> {
            throw new AssertionError("a dry run runs nothing");
        });

        assertThat(outcome.failed()).isEmpty();
        assertThat(told).containsExactly("PLANNED pre-hook exit 1", "PLANNED pre-hook touch /nonexistent-folder/x", "PLANNED restore restore backup b1");
    }
}
