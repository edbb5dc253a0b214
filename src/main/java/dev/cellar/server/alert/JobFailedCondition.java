package dev.cellar.server.alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job whose newest run failed or was interrupted. Resolved by the next run that succeeds.
 * Verifications and restore tests are left to {@link VerificationCondition}, which knows whether
 * the backups or the check failed.
 */
public final class JobFailedCondition implements AlertCondition {
    public static final String NAME = "job-failed";
    private static final Set<String> LEFT_TO_VERIFICATION = Set.of("verify", "restore-test");

    @Override
    public List<String> names() {
        return List.of(NAME);
    }

    @Override
    public boolean observes(AlertInputs inputs) {
        return inputs.jobRuns() != null;
    }

    @Override
    public List<Finding> findings(AlertInputs inputs, AlertThresholds thresholds) {
        List<Finding> findings = new ArrayList<>();
        for (List<JobRun> runs : newestFirstByGroup(inputs.jobRuns()).values()) {
            JobRun newest = runs.get(0);
            if (LEFT_TO_VERIFICATION.contains(newest.job()) || !failed(newest)) {
                continue;
            }
            int streak = (int) runs.stream().takeWhile(JobFailedCondition::failed).count();
            JobRun first = runs.get(streak - 1);
            String how = newest.status() == JobRun.Status.INTERRUPTED ? "was interrupted" : "failed";
            findings.add(new Finding(NAME, Finding.key(newest.job() + "-failed", newest.database(), newest.variant()),
                    Severity.CRITICAL, newest.database(),
                    newest.described() + " " + how + (streak > 1 ? " (" + streak + " runs in a row)" : ""),
                    "last run started " + Texts.instant(newest.started()) + ", ended " + Texts.instant(newest.finished())
                            + "; error: " + (newest.error() == null ? "none recorded" : newest.error()),
                    "read the error, fix its cause (database reachable? repository space? credentials?), then run the job by hand "
                            + "or wait for its next scheduled time: a successful run resolves this",
                    first.started()));
        }
        return findings;
    }

    static boolean failed(JobRun run) {
        return run.status() == JobRun.Status.FAILED || run.status() == JobRun.Status.INTERRUPTED;
    }

    /** Each group's runs, the newest first; running ones excluded (they have no verdict yet). */
    static Map<String, List<JobRun>> newestFirstByGroup(List<JobRun> runs) {
        Map<String, List<JobRun>> groups = new LinkedHashMap<>();
        runs.stream().filter(r -> r.status() != JobRun.Status.RUNNING)
                .sorted(Comparator.comparing(JobRun::started).reversed())
                .forEach(r -> groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        return groups;
    }
}
