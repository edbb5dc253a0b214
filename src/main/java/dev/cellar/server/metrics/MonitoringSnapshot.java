package dev.cellar.server.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What cellar server knows about its databases, jobs and repository copies at one moment, gathered
 * by the daemon from the catalog and the repositories. The metrics are read from the newest
 * snapshot only: whatever is not in it (a database that was removed from the configuration) is not
 * exported at all. Figures that Cellar does not know are empty, and their metric is left out rather
 * than exported as a misleading zero.
 *
 * @param takenAt      when the daemon gathered it
 * @param scheduler    this node's scheduler
 * @param jobs         one entry per job type and database that has a schedule or a recorded run
 * @param databases    one entry per protected database
 * @param repositories one entry per configured repository copy
 */
public record MonitoringSnapshot(Instant takenAt, Scheduler scheduler, List<Job> jobs, List<Database> databases,
        List<Repository> repositories) {

    public MonitoringSnapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(scheduler, "scheduler");
        jobs = List.copyOf(jobs);
        databases = List.copyOf(databases);
        repositories = List.copyOf(repositories);
    }

    /** A snapshot with nothing known yet: what a node exports before its first gathering. */
    public static MonitoringSnapshot empty(Instant now) {
        return new MonitoringSnapshot(now, new Scheduler(Optional.empty(), 0), List.of(), List.of(), List.of());
    }

    /**
     * @param lastTick    when the scheduler last looked for due jobs; empty before its first look
     * @param jobsRunning jobs this node runs now
     */
    public record Scheduler(Optional<Instant> lastTick, int jobsRunning) {
        public Scheduler {
            Objects.requireNonNull(lastTick, "lastTick");
        }
    }

    /**
     * @param jobType      the job kind as the scheduler's registry names it, e.g. {@code backup-full}
     * @param database     the database it works on
     * @param lastSuccess  end of its newest successful run; empty when it never succeeded
     * @param successObjective the longest it may go without a success, from its schedule (a daily job: 25 h, the seed's
     *                     CRITICAL); empty for a job without a schedule
     * @param lastDuration duration of its newest finished run, successful or not
     * @param runsByStatus finished runs by outcome (the catalog's {@code job_run.status}: {@code ok}, {@code failed}, {@code timed_out}, ...), counted by the catalog
     */
    public record Job(String jobType, String database, Optional<Instant> lastSuccess, Optional<Duration> successObjective,
            Optional<Duration> lastDuration, Map<String, Long> runsByStatus) {
        public Job {
            Objects.requireNonNull(jobType, "jobType");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(lastSuccess, "lastSuccess");
            Objects.requireNonNull(successObjective, "successObjective");
            Objects.requireNonNull(lastDuration, "lastDuration");
            runsByStatus = Map.copyOf(runsByStatus);
        }
    }

    /**
     * @param database                 the database's name
     * @param newestBackups            the newest backup of each kind the database has
     * @param dedupRatio               logical bytes of its retained backups over the bytes they occupy
     * @param newestRecoverablePoint   the newest instant the repository can restore it to
     * @param rpoObjective             the recovery point objective configured for it
     * @param newestArchivedWal        the time of the newest archived WAL segment; empty without WAL archiving
     * @param lastRestoreTestSuccess   end of its newest passed restore test; empty when none passed
     */
    public record Database(String database, List<Backup> newestBackups, OptionalDouble dedupRatio,
            Optional<Instant> newestRecoverablePoint, Duration rpoObjective, Optional<Instant> newestArchivedWal,
            Optional<Instant> lastRestoreTestSuccess) {
        public Database {
            Objects.requireNonNull(database, "database");
            newestBackups = List.copyOf(newestBackups);
            Objects.requireNonNull(dedupRatio, "dedupRatio");
            Objects.requireNonNull(newestRecoverablePoint, "newestRecoverablePoint");
            Objects.requireNonNull(rpoObjective, "rpoObjective");
            Objects.requireNonNull(newestArchivedWal, "newestArchivedWal");
            Objects.requireNonNull(lastRestoreTestSuccess, "lastRestoreTestSuccess");
        }
    }

    /**
     * @param kind        {@code logical} or {@code physical}
     * @param sizeBytes   its size before deduplication and compression
     * @param storedBytes the bytes it added to the repository
     */
    public record Backup(String kind, long sizeBytes, long storedBytes) {
        public Backup {
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * @param repository   the copy's name in the configuration
     * @param sizeBytes    bytes it occupies
     * @param freeBytes    bytes free on its file system; empty for a bucket
     * @param backupsBehind backups it lacks and should hold; empty when not observed
     * @param walBehind    WAL files it lacks and should hold; empty when not observed
     */
    public record Repository(String repository, long sizeBytes, OptionalLong freeBytes, OptionalLong backupsBehind, OptionalLong walBehind) {
        public Repository {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(freeBytes, "freeBytes");
            Objects.requireNonNull(backupsBehind, "backupsBehind");
            Objects.requireNonNull(walBehind, "walBehind");
        }
    }
}
