package dev.cellar.server.alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scheduled run that did not happen at its time: run late after downtime
 * ({@code schedule-late}), or skipped because the previous run was still going
 * ({@code schedule-skipped}). Judged on each job's newest slot, so the next run on time resolves it.
 */
public final class ScheduleCondition implements AlertCondition {
    public static final String LATE = "schedule-late";
    public static final String SKIPPED = "schedule-skipped";

    @Override
    public List<String> names() {
        return List.of(LATE, SKIPPED);
    }

    @Override
    public boolean observes(AlertInputs inputs) {
        return inputs.slots() != null;
    }

    @Override
    public List<Finding> findings(AlertInputs inputs, AlertThresholds thresholds) {
        Map<String, ScheduledSlot> newest = new LinkedHashMap<>();
        inputs.slots().stream().sorted(Comparator.comparing(ScheduledSlot::scheduledAt).reversed())
                .forEach(slot -> newest.putIfAbsent(Finding.key(slot.job(), slot.database()), slot));
        List<Finding> findings = new ArrayList<>();
        for (ScheduledSlot slot : newest.values()) {
            String job = slot.database() == null ? slot.job() : slot.job() + " of " + slot.database();
            switch (slot.outcome()) {
                case LATE -> findings.add(new Finding(LATE, Finding.key(LATE, slot.database(), slot.job()), Severity.WARNING, slot.database(),
                        job + " scheduled for " + Texts.instant(slot.scheduledAt()) + " ran late",
                        "it started at " + Texts.instant(slot.startedAt()) + ", once, for every time missed while no cellar server ran",
                        "find out why no cellar server was running (systemctl status cellar, journalctl -u cellar); "
                                + "the missed run has been made up, so nothing else is needed once the server runs again",
                        slot.scheduledAt()));
                case SKIPPED -> findings.add(new Finding(SKIPPED, Finding.key(SKIPPED, slot.database(), slot.job()), Severity.WARNING,
                        slot.database(), job + " scheduled for " + Texts.instant(slot.scheduledAt()) + " was skipped",
                        "the previous run was still going at that time",
                        "the job takes longer than the time between its runs: see whether the previous run hangs "
                                + "(a job-timeout alert says so), or space the runs further apart",
                        slot.scheduledAt()));
                case ON_TIME -> {
                }
            }
        }
        return findings;
    }
}
