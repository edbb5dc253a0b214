package dev.cellar.server.run;

/**
 * What one kind of job does when its slot comes (a full backup, a verification, a sync). Kinds are
 * registered by name in {@link JobRunners}, so later work adds kinds without touching the scheduler.
 * A runner is called on a worker thread; it must end promptly when that thread is interrupted (the
 * daemon's shutdown or the job's time-out), by returning or throwing.
 */
@FunctionalInterface
public interface JobRunner {
    JobResult run(RunClaim claim) throws Exception;
}
