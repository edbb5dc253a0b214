package dev.cellar.server.schedule;

import dev.cellar.config.CellarConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs a configuration asks for: a pure function of the configuration and the registered
 * {@link JobKind}s, which the daemon, {@code cellar schedule list} and {@code schedule print} share.
 */
public record JobPlan(CellarConfig config, List<ScheduledJob> jobs, Map<String, JobKind> kinds) {

    public JobPlan {
        jobs = List.copyOf(jobs);
        kinds = Map.copyOf(kinds);
    }

    /** The plan of the seed's job kinds. */
    public static JobPlan of(CellarConfig config) {
        return of(config, StandardJobKinds.ALL);
    }

    /**
     * @throws IllegalArgumentException when two kinds share a name or two jobs a key: either
     *                                  would make two runs indistinguishable in the catalog
     */
    public static JobPlan of(CellarConfig config, List<JobKind> kinds) {
        Map<String, JobKind> byName = new HashMap<>();
        List<ScheduledJob> jobs = new ArrayList<>();
        Map<String, ScheduledJob> byKey = new HashMap<>();
        for (JobKind kind : kinds) {
            if (byName.putIfAbsent(kind.name(), kind) != null) {
                throw new IllegalArgumentException("two job kinds are named " + kind.name());
            }
            for (ScheduledJob job : kind.plan(config)) {
                if (byKey.putIfAbsent(job.key(), job) != null) {
                    throw new IllegalArgumentException("two jobs have the key " + job.key());
                }
                jobs.add(job);
            }
        }
        return new JobPlan(config, jobs, byName);
    }

    public Optional<ScheduledJob> job(String key) {
        return jobs.stream().filter(j -> j.key().equals(key)).findFirst();
    }

    /** The kind that runs {@code job}. */
    public JobKind kindOf(ScheduledJob job) {
        return kinds.get(job.kind());
    }

    /** The commands that do {@code job}'s work outside the daemon (cron, systemd). */
    public List<JobCommand> commandsOf(ScheduledJob job) {
        return kindOf(job).commands(job, config);
    }
}
