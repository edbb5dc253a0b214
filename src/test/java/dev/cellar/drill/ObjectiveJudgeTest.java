package dev.cellar.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectiveJudgeTest {
    private static final Instant D = Instant.parse("2026-12-03T03:00:10Z");
    private static final List<Objective> OBJECTIVES = List.of(new Objective("default", Duration.ofHours(4), Duration.ofMinutes(15)),
            new Objective("category financial", Duration.ofHours(4), Duration.ofSeconds(1)),
            new Objective("category orders", null, Duration.ofHours(1)));

    @Test
    void theTightestMissedObjectiveIsTheReasonAndNamesItsCategory() {
        RpoMeasure rpo = RpoMeasure.of(D, Instant.parse("2026-12-03T03:00:06.800Z"), null, null);
        List<ObjectiveVerdict> verdicts = ObjectiveJudge.verdicts(OBJECTIVES, Duration.ofMinutes(3), rpo);
        assertThat(verdicts).hasSize(5);
        assertThat(verdicts.stream().filter(v -> !v.met()).map(ObjectiveVerdict::scope)).containsExactly("category financial");
        assertThat(ObjectiveJudge.failures(verdicts, rpo)).containsExactly("RPO 3.2 s exceeds the objective 1.0 s of category financial: "
                + "the newest commit recovered is 2026-12-03T03:00:06.800Z (heartbeat), the disaster moment 2026-12-03T03:00:10Z");
    }

    @Test
    void anRtoPastItsObjectiveFailsAndAMissingRpoIsNotJudged() {
        List<ObjectiveVerdict> verdicts = ObjectiveJudge.verdicts(OBJECTIVES, Duration.ofHours(5), null);
        assertThat(verdicts.stream().filter(v -> v.measure().equals("RPO")).allMatch(ObjectiveVerdict::met)).isTrue();
        assertThat(ObjectiveJudge.failures(verdicts, null)).singleElement().asString().startsWith("RTO 5 h exceeds the objective 4 h of default");
    }

    @Test
    void everythingWithinItsObjectivesPasses() {
        RpoMeasure rpo = RpoMeasure.of(D, D.minusMillis(100), null, null);
        assertThat(ObjectiveJudge.failures(ObjectiveJudge.verdicts(OBJECTIVES, Duration.ofMinutes(1), rpo), rpo)).isEmpty();
        assertThat(ObjectiveJudge.tightest(OBJECTIVES, Objective::rpo)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ObjectiveJudge.tightest(OBJECTIVES, Objective::rto)).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void rpoUsesTheHeartbeatThenTheMarkerThenTheReplayTime() {
        Instant heartbeat = D.minusMillis(300);
        Instant marker = D.minusSeconds(6);
        Instant replay = D.minusSeconds(9);
        assertThat(RpoMeasure.of(D, heartbeat, marker, replay)).isEqualTo(new RpoMeasure(Duration.ofMillis(300), D, heartbeat, RpoMeasure.HEARTBEAT));
        assertThat(RpoMeasure.of(D, null, marker, replay).method()).isEqualTo(RpoMeasure.MARKER);
        assertThat(RpoMeasure.of(D, null, marker, replay).rpo()).isEqualTo(Duration.ofSeconds(6));
        assertThat(RpoMeasure.of(D, null, null, replay).method()).isEqualTo(RpoMeasure.REPLAY);
        assertThat(RpoMeasure.of(D, null, null, null).rpo()).isNull();
        // a commit recovered after the disaster moment (clock resolution) is no negative loss
        assertThat(RpoMeasure.of(D, D.plusMillis(2), null, null).rpo()).isZero();
    }

    @Test
    void durationsParseAsPeopleWriteThemAndFormatShort() {
        assertThat(ObjectiveDuration.parse("15 minutes")).contains(Duration.ofMinutes(15));
        assertThat(ObjectiveDuration.parse("4h")).contains(Duration.ofHours(4));
        assertThat(ObjectiveDuration.parse("1s")).contains(Duration.ofSeconds(1));
        assertThat(ObjectiveDuration.parse("1.5 s")).contains(Duration.ofMillis(1500));
        assertThat(ObjectiveDuration.parse("0s")).isEmpty();
        assertThat(ObjectiveDuration.parse("soon")).isEmpty();
        assertThat(ObjectiveDuration.format(Duration.ofMillis(3200))).isEqualTo("3.2 s");
        assertThat(ObjectiveDuration.format(Duration.ofMinutes(90))).isEqualTo("1 h 30 min");
    }
}
