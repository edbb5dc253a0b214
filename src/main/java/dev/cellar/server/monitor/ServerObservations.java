package dev.cellar.server.monitor;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.DatabaseConfig;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.error.CellarException;
import dev.cellar.server.metrics.MonitoringSnapshot;
import dev.cellar.server.schedule.JobPlan;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What the daemon observes, once per round (every half minute and after each job): job runs and
 * backups from the catalog, WAL archiving from each database's server, space of each folder copy
 * of the repository, turned into the alert inputs and the metrics snapshot at once. A source that
 * cannot be read leaves its part unobserved and a note; a round never fails. Keeps across rounds,
 * in memory, what a single reading cannot tell: the archiver's failure count at the previous round, space
 * readings for the growth projection, and each server's last answer, so a server that stops
 * answering keeps its WAL alerts open (its archive age keeps growing) rather than resolving them.
 * One instance per daemon; rounds are serialised.
 */
public final class ServerObservations {
    private final List<ScheduledDatabase> databases;
    private final List<RepositoryTarget> copies;
    private final JobPlan plan;
    private final int backupsPerKind;
    private final JobRunReader jobRuns;
    private final BackupLogReader backupLog;
    private final WalProbe walProbe;
    private final StorageProbe storage = new StorageProbe();
    private final Clock clock;
    private final Map<String, WalFacts> lastWal = new HashMap<>();

    ServerObservations(JobPlan plan, DataSource catalog, WalProbe walProbe, Clock clock) {
        CellarConfig config = plan.config();
        this.databases = config.scheduledDatabases();
        this.copies = config.repositories();
        this.plan = plan;
        // the newest backup and the earlier ones the size median is taken over
        this.backupsPerKind = config.alerts().sizeComparableBackups() + 1;
        this.jobRuns = new JobRunReader(catalog);
        this.backupLog = new BackupLogReader(catalog);
        this.walProbe = walProbe;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param plan    the job plan the daemon schedules (time-outs and success objectives come from it)
     * @param catalog the catalog's pool ({@code Catalog.dataSource()})
     * @param env     the environment database passwords are read from ({@code System.getenv()})
     */
    public static ServerObservations configured(JobPlan plan, DataSource catalog, Map<String, String> env, Clock clock) {
        return new ServerObservations(plan, catalog, new WalProbe(plan.config().wal().streamSlot(), env), clock);
    }

    /**
     * Makes one round.
     *
     * @param scheduler the daemon's own scheduler state, which only it knows
     */
    public synchronized Observation observe(MonitoringSnapshot.Scheduler scheduler) {
        Instant now = clock.instant();
        List<String> notes = new ArrayList<>();
        JobRunFacts runs = null;
        try {
            runs = jobRuns.read();
        } catch (SQLException | RuntimeException e) {
            notes.add("job runs not read from the catalog: " + e.getMessage());
        }
        BackupLogFacts backups = null;
        try {
            backups = backupLog.read(backupsPerKind);
        } catch (SQLException | RuntimeException e) {
            notes.add("backup_log not read from the catalog: " + e.getMessage());
        }
        Map<String, Long> previous = new HashMap<>();
        lastWal.forEach((server, wal) -> previous.put(server, wal.failedCount()));
        probeWal(notes);
        ObservedFacts facts = new ObservedFacts(now, databases.stream().map(WatchedDatabase::of).toList(), plannedJobs(now), runs,
                backups, Map.copyOf(lastWal), previous, measureStorage(now, notes), scheduler);
        return new Observation(AlertInputsMapping.of(facts), SnapshotMapping.of(facts), notes);
    }

    private List<PlannedJob> plannedJobs(Instant now) {
        return plan.jobs().stream().map(job -> new PlannedJob(job.key(), job.kind(),
                job.databaseIfAny().map(ScheduledDatabase::name).orElse(null), job.timeout(),
                SuccessObjectives.of(job.schedule(), now))).toList();
    }

    /** Each server once, through the first database configured on it. */
    private void probeWal(List<String> notes) {
        Map<String, DatabaseConfig> servers = new LinkedHashMap<>();
        databases.forEach(db -> servers.putIfAbsent(WatchedDatabase.serverOf(db), db.connection()));
        servers.forEach((server, connection) -> {
            try {
                lastWal.put(server, walProbe.probe(server, connection));
            } catch (CellarException e) {
                // its last answer stays, so its alerts neither open anew nor resolve on no news
                notes.add("WAL archiving of " + server + " not read: " + e.getMessage());
            }
        });
    }

    private List<FolderUsage> measureStorage(Instant now, List<String> notes) {
        List<FolderUsage> folders = new ArrayList<>();
        boolean anyFailed = false;
        for (RepositoryTarget copy : copies) {
            if (copy.isS3()) {
                continue; // a bucket's usage would take a listing of every object: not measured (docs/monitoring.md)
            }
            try {
                folders.add(storage.measure(copy.name(), copy.path(), now));
            } catch (IOException | RuntimeException e) {
                anyFailed = true;
                notes.add("space of repository copy " + copy.name() + " (" + copy.location() + ") not read: " + e.getMessage());
            }
        }
        // one unreadable folder must not resolve its own space alert: then no copy is judged this round
        return anyFailed ? null : folders;
    }
}
