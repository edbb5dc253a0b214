package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalConditionTest {
    private static final Instant NOW = Instant.parse("2027-03-10T12:00:00Z");
    private static final AlertThresholds DEFAULTS = AlertThresholds.defaults();

    private static List<Finding> judge(WalStatus status) {
        return new WalCondition().findings(AlertInputs.at(NOW).withWal(List.of(status)), DEFAULTS);
    }

    private static WalStatus archivedAgo(Duration ago, Boolean waiting) {
        return new WalStatus("main", NOW.minus(ago), waiting, 0, 0L, null, null, null);
    }

    @Test
    void newestSegmentOlderThanTheBoundWhileWalWaitsIsADelay() {
        assertThat(judge(archivedAgo(Duration.ofMinutes(15), true))).isEmpty();
        assertThat(judge(archivedAgo(Duration.ofMinutes(15).plusSeconds(1), true))).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("wal-archive-delay:main");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    void anIdleServerWithNothingWaitingIsNoDelayButUnknownWaitingIs() {
        assertThat(judge(archivedAgo(Duration.ofHours(5), false))).isEmpty();
        assertThat(judge(archivedAgo(Duration.ofHours(5), null))).hasSize(1);
    }

    @Test
    void failuresRisingSinceTheLastObservationOrAfterTheLastSuccessAreReported() {
        WalStatus rising = new WalStatus("main", NOW.minusSeconds(60), false, 5, 3L, NOW.minusSeconds(120), "000000010000000000000007", null);
        assertThat(judge(rising)).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("wal-archive-failing:main");
            assertThat(f.summary()).contains("2 more failures");
        });
        WalStatus failingStill = new WalStatus("main", NOW.minusSeconds(600), false, 5, 5L, NOW.minusSeconds(30), "000000010000000000000007", null);
        assertThat(judge(failingStill)).extracting(Finding::condition).containsExactly(WalCondition.FAILING);
    }

    @Test
    void aSuccessAfterTheLastFailureWithNoNewFailuresResolves() {
        WalStatus recovered = new WalStatus("main", NOW.minusSeconds(30), false, 5, 5L, NOW.minusSeconds(300), "000000010000000000000007", null);
        assertThat(judge(recovered)).isEmpty();
    }

    @Test
    void streamLagOverTheBoundIsAWarning() {
        long bound = DEFAULTS.streamLagBytes();
        assertThat(judge(new WalStatus("main", NOW, false, 0, 0L, null, null, bound))).isEmpty();
        assertThat(judge(new WalStatus("main", NOW, false, 0, 0L, null, null, bound + 1))).singleElement()
                .satisfies(f -> assertThat(f.key()).isEqualTo("wal-stream-lag:main"));
    }
}
