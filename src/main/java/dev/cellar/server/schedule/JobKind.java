package dev.cellar.server.schedule;

import dev.cellar.config.CellarConfig;

import java.util.List;

/**
 * A kind of scheduled work ({@code backup-full}, {@code verify}, ...). The plan is the union of
 * what every registered kind asks for, so a new kind (archive, drill, retention) is a new
 * implementation handed to {@link JobPlan}, and the scheduler itself does not change. The daemon
 * maps {@link #name()} to the service that runs it.
 */
public interface JobKind {

    /** The stable name stored with each run, e.g. {@code backup-full}. */
    String name();

    /** The jobs of this kind the configuration asks for; none when it does not apply (no data directory). */
    List<ScheduledJob> plan(CellarConfig config);

    /**
     * The commands, run in order while each succeeds, that do one job's work outside the daemon.
     * They read the same configuration file, so they carry only what differs from it.
     */
    List<JobCommand> commands(ScheduledJob job, CellarConfig config);
}
