package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleCopyAndRpoConditionsTest {
    private static final Instant NOW = Instant.parse("2027-03-10T12:00:00Z");
    private static final AlertThresholds DEFAULTS = AlertThresholds.defaults();

    @Test
    void aLateOrSkippedNewestSlotIsReportedAndTheNextOnTimeRunResolvesIt() {
        ScheduleCondition condition = new ScheduleCondition();
        ScheduledSlot late = new ScheduledSlot("backup-full", "restaurant_ordering", NOW.minus(Duration.ofDays(2)), ScheduledSlot.Outcome.LATE, NOW.minusSeconds(60));
        ScheduledSlot skipped = new ScheduledSlot("backup-incremental", "restaurant_ordering", NOW.minusSeconds(3600), ScheduledSlot.Outcome.SKIPPED, null);
        assertThat(condition.findings(AlertInputs.at(NOW).withSlots(List.of(late, skipped)), DEFAULTS)).extracting(Finding::key)
                .containsExactlyInAnyOrder("schedule-late:restaurant_ordering:backup-full", "schedule-skipped:restaurant_ordering:backup-incremental");
        ScheduledSlot next = new ScheduledSlot("backup-full", "restaurant_ordering", NOW.plus(Duration.ofDays(1)), ScheduledSlot.Outcome.ON_TIME, NOW.plus(Duration.ofDays(1)));
        assertThat(condition.findings(AlertInputs.at(NOW.plus(Duration.ofDays(1))).withSlots(List.of(late, next)), DEFAULTS)).isEmpty();
    }

    @Test
    void aCopyBehindLongerThanTheBoundIsReported() {
        CopyBehindCondition condition = new CopyBehindCondition();
        assertThat(condition.findings(AlertInputs.at(NOW).withCopies(List.of(new CopyState("cloud", NOW.minus(Duration.ofMinutes(60)), 12))), DEFAULTS)).isEmpty();
        assertThat(condition.findings(AlertInputs.at(NOW).withCopies(List.of(new CopyState("cloud", NOW.minus(Duration.ofMinutes(61)), 12),
                new CopyState("local", null, 0))), DEFAULTS)).singleElement().satisfies(f -> {
                    assertThat(f.key()).isEqualTo("copy-behind:cloud");
                    assertThat(f.details()).contains("12 objects");
                });
    }

    @Test
    void trueRpoAboveTheObjectiveIsCriticalWithTheDatabasesOwnObjectiveFirst() {
        RpoCondition condition = new RpoCondition();
        RecoveryPoint financial = new RecoveryPoint("payments", NOW.minus(Duration.ofMinutes(16)), Duration.ofMinutes(15));
        RecoveryPoint operational = new RecoveryPoint("restaurant_ordering", NOW.minus(Duration.ofMinutes(60)), null);
        RecoveryPoint nothing = new RecoveryPoint("new_db", null, null);
        assertThat(condition.findings(AlertInputs.at(NOW).withRecoveryPoints(List.of(financial, operational, nothing)), DEFAULTS))
                .extracting(Finding::key).containsExactly("rpo-exceeded:payments", "rpo-exceeded:new_db");
        assertThat(condition.findings(AlertInputs.at(NOW).withRecoveryPoints(List.of(financial)), DEFAULTS)).singleElement()
                .satisfies(f -> assertThat(f.summary()).isEqualTo("a disaster now would lose the last 16 min of payments (objective 15 min)"));
    }
}
