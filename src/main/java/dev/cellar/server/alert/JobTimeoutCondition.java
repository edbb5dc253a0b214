package dev.cellar.server.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job that runs past its configured time-out (critical: it may hold locks and delay the next
 * run), or whose newest run finished but took longer than it (a warning: it is growing out of its
 * window). Resolved when the newest run ends within its time-out.
 */
public final class JobTimeoutCondition implements AlertCondition {
    public static final String NAME = "job-timeout";

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
        Map<String, JobRun> newest = new LinkedHashMap<>();
        inputs.jobRuns().stream().sorted(Comparator.comparing(JobRun::started).reversed())
                .forEach(run -> newest.putIfAbsent(run.group(), run));
        List<Finding> findings = new ArrayList<>();
        for (JobRun run : newest.values()) {
            if (run.timeout() == null) {
                continue;
            }
            boolean running = run.status() == JobRun.Status.RUNNING;
            Duration took = Duration.between(run.started(), running ? inputs.now() : run.finished());
            if (took.compareTo(run.timeout()) <= 0) {
                continue;
            }
            String key = Finding.key(run.job() + "-timeout", run.database(), run.variant());
            if (running) {
                findings.add(new Finding(NAME, key, Severity.CRITICAL, run.database(),
                        run.described() + " still running after " + Texts.duration(took) + ", past its time-out of "
                                + Texts.duration(run.timeout()),
                        "started " + Texts.instant(run.started()),
                        "see what it waits on (pg_stat_activity for a lock, the repository's storage for a stalled upload); "
                                + "stop it if it hangs; the next run starts only when it ends",
                        run.started().plus(run.timeout())));
            } else {
                findings.add(new Finding(NAME, key, Severity.WARNING, run.database(),
                        run.described() + " took " + Texts.duration(took) + ", past its time-out of " + Texts.duration(run.timeout()),
                        "started " + Texts.instant(run.started()) + ", finished " + Texts.instant(run.finished())
                                + ", status " + run.status().name().toLowerCase(java.util.Locale.ROOT),
                        "the job is outgrowing its window: raise its time-out, give it more workers, or move it to a quieter hour",
                        run.finished()));
            }
        }
        return findings;
    }
}
