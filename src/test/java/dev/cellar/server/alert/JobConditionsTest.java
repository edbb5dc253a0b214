package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobConditionsTest {
    private static final Instant T = Instant.parse("2027-03-01T02:00:00Z");
    private static final AlertThresholds DEFAULTS = AlertThresholds.defaults();

    private static JobRun backup(Instant started, JobRun.Status status, Duration took) {
        return new JobRun("backup", "restaurant_ordering", "full", started, status == JobRun.Status.RUNNING ? null : started.plus(took),
                status, Duration.ofHours(1), status == JobRun.Status.FAILED ? "connection refused" : null);
    }

    private static List<Finding> failed(Instant now, JobRun... runs) {
        return new JobFailedCondition().findings(AlertInputs.at(now).withJobRuns(List.of(runs)), DEFAULTS);
    }

    @Test
    void newestFailedRunIsCriticalWithTheKeyOfJobDatabaseAndVariant() {
        List<Finding> findings = failed(T.plusSeconds(3600), backup(T.minus(Duration.ofDays(1)), JobRun.Status.SUCCEEDED, Duration.ofMinutes(5)),
                backup(T, JobRun.Status.FAILED, Duration.ofMinutes(1)));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("backup-failed:restaurant_ordering:full");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.summary()).isEqualTo("backup full of restaurant_ordering failed");
            assertThat(f.details()).contains("connection refused");
            assertThat(f.since()).isEqualTo(T);
        });
    }

    @Test
    void sinceIsTheFirstFailureOfTheStreak() {
        List<Finding> findings = failed(T.plusSeconds(7200), backup(T.minusSeconds(7200), JobRun.Status.FAILED, Duration.ofMinutes(1)),
                backup(T.minusSeconds(3600), JobRun.Status.INTERRUPTED, Duration.ofMinutes(1)), backup(T, JobRun.Status.FAILED, Duration.ofMinutes(1)));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.since()).isEqualTo(T.minusSeconds(7200));
            assertThat(f.summary()).contains("3 runs in a row");
        });
    }

    @Test
    void aSuccessAfterTheFailureResolvesIt() {
        assertThat(failed(T.plusSeconds(7200), backup(T, JobRun.Status.FAILED, Duration.ofMinutes(1)),
                backup(T.plusSeconds(3600), JobRun.Status.SUCCEEDED, Duration.ofMinutes(5)))).isEmpty();
    }

    @Test
    void aRunStillGoingNeitherResolvesNorOpens() {
        assertThat(failed(T.plusSeconds(4000), backup(T, JobRun.Status.FAILED, Duration.ofMinutes(1)),
                backup(T.plusSeconds(3600), JobRun.Status.RUNNING, null))).hasSize(1);
    }

    @Test
    void verificationJobsAreLeftToTheVerificationCondition() {
        JobRun verify = new JobRun("verify", "restaurant_ordering", null, T, T.plusSeconds(60), JobRun.Status.FAILED, null, "mismatch");
        assertThat(failed(T.plusSeconds(100), verify)).isEmpty();
    }

    @Test
    void runningPastTheTimeoutIsCriticalAndExactlyAtItIsNot() {
        JobTimeoutCondition condition = new JobTimeoutCondition();
        JobRun running = backup(T, JobRun.Status.RUNNING, null);
        assertThat(condition.findings(AlertInputs.at(T.plus(Duration.ofHours(1))).withJobRuns(List.of(running)), DEFAULTS)).isEmpty();
        assertThat(condition.findings(AlertInputs.at(T.plus(Duration.ofHours(1)).plusSeconds(1)).withJobRuns(List.of(running)), DEFAULTS))
                .singleElement().satisfies(f -> {
                    assertThat(f.key()).isEqualTo("backup-timeout:restaurant_ordering:full");
                    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(f.summary()).contains("still running after 1 h");
                });
    }

    @Test
    void aFinishedRunThatTookLongerThanItsTimeoutIsAWarningUntilARunWithinIt() {
        JobTimeoutCondition condition = new JobTimeoutCondition();
        JobRun slow = backup(T, JobRun.Status.SUCCEEDED, Duration.ofMinutes(75));
        assertThat(condition.findings(AlertInputs.at(T.plus(Duration.ofHours(3))).withJobRuns(List.of(slow)), DEFAULTS))
                .singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
        JobRun quick = backup(T.plus(Duration.ofDays(1)), JobRun.Status.SUCCEEDED, Duration.ofMinutes(20));
        assertThat(condition.findings(AlertInputs.at(T.plus(Duration.ofDays(1)).plus(Duration.ofHours(1))).withJobRuns(List.of(slow, quick)),
                DEFAULTS)).isEmpty();
    }
}
