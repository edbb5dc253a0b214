package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentPlannerTest {
    private static final Instant NOW = Instant.parse("2027-03-10T12:00:00Z");
    private final IncidentPlanner planner = new IncidentPlanner(Duration.ofMinutes(240));

    private static Finding finding(String key, Severity severity) {
        return new Finding("job-failed", key, severity, "db", "summary", "details", "action", NOW);
    }

    private static OpenIncident open(String key, Severity severity, Instant lastNotified) {
        return new OpenIncident(7, key, "job-failed", severity, lastNotified, lastNotified, 0);
    }

    @Test
    void aNewKeyOpensAndAnOpenOneIsOnlyRefreshedBeforeTheInterval() {
        Evaluation evaluation = new Evaluation(NOW, Set.of("job-failed"), List.of(finding("a", Severity.CRITICAL), finding("b", Severity.CRITICAL)));
        List<IncidentAction> actions = planner.plan(List.of(open("b", Severity.CRITICAL, NOW.minus(Duration.ofMinutes(239)))), evaluation, NOW);
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isInstanceOf(IncidentAction.Open.class);
        assertThat(actions.get(1)).isInstanceOf(IncidentAction.Refresh.class);
    }

    @Test
    void aReminderIsDueAtTheIntervalOrWhenTheIncidentGrowsWorse() {
        Evaluation evaluation = new Evaluation(NOW, Set.of("job-failed"), List.of(finding("b", Severity.CRITICAL)));
        assertThat(planner.plan(List.of(open("b", Severity.CRITICAL, NOW.minus(Duration.ofMinutes(240)))), evaluation, NOW))
                .singleElement().isInstanceOf(IncidentAction.Remind.class);
        assertThat(planner.plan(List.of(open("b", Severity.WARNING, NOW.minusSeconds(60))), evaluation, NOW))
                .singleElement().isInstanceOf(IncidentAction.Remind.class);
        assertThat(new IncidentPlanner(Duration.ZERO).plan(List.of(open("b", Severity.CRITICAL, NOW.minus(Duration.ofDays(3)))), evaluation, NOW))
                .as("reminders off").singleElement().isInstanceOf(IncidentAction.Refresh.class);
    }

    @Test
    void anOpenIncidentNotFoundIsResolvedOnlyWhenItsConditionCouldJudge() {
        OpenIncident b = open("b", Severity.CRITICAL, NOW.minusSeconds(60));
        assertThat(planner.plan(List.of(b), new Evaluation(NOW, Set.of("job-failed"), List.of()), NOW))
                .singleElement().isEqualTo(new IncidentAction.Resolve(b));
        assertThat(planner.plan(List.of(b), new Evaluation(NOW, Set.of("size-deviation"), List.of()), NOW)).isEmpty();
    }
}
