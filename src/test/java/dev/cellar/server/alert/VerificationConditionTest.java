package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerificationConditionTest {
    private static final Instant NOW = Instant.parse("2027-03-10T12:00:00Z");
    private static final AlertThresholds DEFAULTS = AlertThresholds.defaults();
    private static final String DB = "restaurant_ordering";

    private static List<Finding> judge(VerificationRun... runs) {
        Verifications history = new Verifications(List.of(DB), Set.of(VerificationRun.Kind.VERIFY, VerificationRun.Kind.RESTORE_TEST), List.of(runs));
        return new VerificationCondition().findings(AlertInputs.at(NOW).withVerifications(history), DEFAULTS);
    }

    private static VerificationRun run(VerificationRun.Kind kind, Duration ago, boolean passed) {
        return new VerificationRun(DB, kind, NOW.minus(ago), passed, passed ? null : "row count of orders differs");
    }

    @Test
    void aFailedNewestRunIsCritical() {
        assertThat(judge(run(VerificationRun.Kind.VERIFY, Duration.ofDays(8), true), run(VerificationRun.Kind.VERIFY, Duration.ofDays(1), false),
                run(VerificationRun.Kind.RESTORE_TEST, Duration.ofDays(1), true)))
                .singleElement().satisfies(f -> {
                    assertThat(f.key()).isEqualTo("verify-failed:restaurant_ordering:verify");
                    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(f.details()).contains("row count of orders differs");
                });
    }

    @Test
    void nonePassedWithinTheBoundIsOverdueAndExactlyAtTheBoundIsNot() {
        assertThat(judge(run(VerificationRun.Kind.VERIFY, Duration.ofDays(8), true), run(VerificationRun.Kind.RESTORE_TEST, Duration.ofDays(8), true))).isEmpty();
        assertThat(judge(run(VerificationRun.Kind.VERIFY, Duration.ofDays(8).plusSeconds(1), true), run(VerificationRun.Kind.RESTORE_TEST, Duration.ofDays(1), true)))
                .singleElement().satisfies(f -> assertThat(f.key()).isEqualTo("verify-overdue:restaurant_ordering:verify"));
    }

    @Test
    void aDatabaseNeverVerifiedIsOverdueForEachExpectedKind() {
        assertThat(judge()).extracting(Finding::key).containsExactlyInAnyOrder("verify-overdue:restaurant_ordering:verify",
                "verify-overdue:restaurant_ordering:restore-test");
    }

    @Test
    void aPassAfterAFailureResolvesBoth() {
        assertThat(judge(run(VerificationRun.Kind.VERIFY, Duration.ofDays(2), false), run(VerificationRun.Kind.VERIFY, Duration.ofDays(1), true),
                run(VerificationRun.Kind.RESTORE_TEST, Duration.ofDays(1), true))).isEmpty();
    }
}
