package dev.cellar.server.alert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs every condition over one observation and says what was found and what could be judged. */
public final class AlertEvaluator {
    private final List<AlertCondition> conditions;
    private final AlertThresholds thresholds;

    public AlertEvaluator(List<AlertCondition> conditions, AlertThresholds thresholds) {
        this.conditions = List.copyOf(conditions);
        this.thresholds = thresholds;
    }

    /** Every condition Cellar knows, in the order docs/alerts.md lists them. */
    public static List<AlertCondition> allConditions() {
        return List.of(new JobFailedCondition(), new JobTimeoutCondition(), new SizeDeviationCondition(), new WalCondition(),
                new SpaceCondition(), new ScheduleCondition(), new CopyBehindCondition(), new VerificationCondition(),
                new RpoCondition());
    }

    public Evaluation evaluate(AlertInputs inputs) {
        Set<String> judged = new LinkedHashSet<>();
        Map<String, Finding> findings = new LinkedHashMap<>();
        for (AlertCondition condition : conditions) {
            if (!condition.observes(inputs)) {
                continue;
            }
            judged.addAll(condition.names());
            for (Finding finding : condition.findings(inputs, thresholds)) {
                // two findings of one key (two servers of one name) are one incident: keep the worse
                findings.merge(finding.key(), finding, (a, b) -> b.severity().compareTo(a.severity()) > 0 ? b : a);
            }
        }
        return new Evaluation(inputs.now(), judged, new ArrayList<>(findings.values()));
    }
}
