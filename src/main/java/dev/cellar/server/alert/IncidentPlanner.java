package dev.cellar.server.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides, from the open incidents and a new evaluation, which incidents to open, remind of,
 * refresh and resolve. Pure; the store applies the plan with statements that make a second
 * process applying the same plan a no-op.
 */
public final class IncidentPlanner {
    private final Duration remindEvery;

    /** @param remindEvery how often an open incident is notified again; zero for never */
    public IncidentPlanner(Duration remindEvery) {
        this.remindEvery = remindEvery;
    }

    /** @param now the catalog's time, which reminders are due against (several nodes agree on it) */
    public List<IncidentAction> plan(List<OpenIncident> open, Evaluation evaluation, Instant now) {
        Map<String, OpenIncident> openByKey = open.stream().collect(Collectors.toMap(OpenIncident::key, Function.identity(), (a, b) -> a));
        List<IncidentAction> actions = new ArrayList<>();
        for (Finding finding : evaluation.findings()) {
            OpenIncident incident = openByKey.get(finding.key());
            if (incident == null) {
                actions.add(new IncidentAction.Open(finding));
            } else if (dueForReminder(incident, finding, now)) {
                actions.add(new IncidentAction.Remind(incident, finding));
            } else {
                actions.add(new IncidentAction.Refresh(incident, finding));
            }
        }
        var found = evaluation.findings().stream().map(Finding::key).collect(Collectors.toSet());
        for (OpenIncident incident : open) {
            if (evaluation.judged().contains(incident.condition()) && !found.contains(incident.key())) {
                actions.add(new IncidentAction.Resolve(incident));
            }
        }
        return actions;
    }

    /** The reminder's time has come, or the incident grew worse (a warning that became critical is news). */
    boolean dueForReminder(OpenIncident incident, Finding finding, Instant now) {
        if (finding.severity().compareTo(incident.severity()) > 0) {
            return true;
        }
        return !remindEvery.isZero() && !now.isBefore(incident.lastNotifiedAt().plus(remindEvery));
    }

    Duration remindEvery() {
        return remindEvery;
    }
}
