package dev.cellar.server.daemon;

import dev.cellar.lifecycle.archive.ArchiveResults;
import dev.cellar.lifecycle.archive.ArchiveService;
import dev.cellar.lifecycle.erasure.ErasureReapplier;
import java.time.YearMonth;
import java.time.ZoneOffset;
import dev.cellar.lifecycle.retention.BatchPause;
import dev.cellar.lifecycle.retention.RetentionApplyResult;
import dev.cellar.lifecycle.retention.RetentionService;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.ExpireService;
import dev.cellar.app.LogicalBackupService;
import dev.cellar.app.NeverPrompt;
import dev.cellar.app.PhysicalBackupService;
import dev.cellar.app.RepoSyncService;
import dev.cellar.app.VerifyService;
import dev.cellar.app.Warnings;
import dev.cellar.backup.BackupResult;
import dev.cellar.backup.PhysicalBackupResult;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.HostClock;
import dev.cellar.error.CellarException;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.server.run.JobResult;
import dev.cellar.server.run.JobRunner;
import dev.cellar.server.run.JobRunners;
import dev.cellar.server.run.RunClaim;
import dev.cellar.server.schedule.JobPlan;
import dev.cellar.server.schedule.ScheduledJob;
import dev.cellar.server.schedule.StandardJobKinds;
import dev.cellar.sync.SyncResult;
import dev.cellar.verify.RestoreTestReport;
import dev.cellar.verify.VerifyReport;
import dev.cellar.verify.WalArchiveReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the seed's job kinds do, through the same services as the CLI: each run opens its own
 * application context (closed when the run ends), for the database the job is for, without
 * prompting. A failure is the service's own error, which the run records and the alerts quote.
 */
public final class StandardJobRunners {
    /** How long a job waits for a repository lock another job or a CLI command holds. */
    static final Duration LOCK_WAIT = Duration.ofMinutes(10);
    /** Where a restore test creates and drops its scratch database. */
    private static final String MAINTENANCE_DATABASE = "postgres";

    private final CellarConfig config;
    private final JobPlan plan;
    private final Warnings warnings;

    public StandardJobRunners(CellarConfig config, JobPlan plan, Warnings warnings) {
        this.config = config;
        this.plan = plan;
        this.warnings = warnings;
    }

    private static final int RETENTION_BATCH_ROWS = 1000;

    /** The runners of backup-full, backup-incremental, verify, sync, archive and retention. */
    public JobRunners register(JobRunners runners) {
        return runners.register(StandardJobKinds.BACKUP_FULL.name(), perDatabase(this::fullBackup))
                .register(StandardJobKinds.BACKUP_INCREMENTAL.name(), perDatabase(this::incrementalBackup))
                .register(StandardJobKinds.VERIFY.name(), perDatabase(this::verify))
                .register(StandardJobKinds.ARCHIVE.name(), perDatabase(this::monthlyArchive))
                .register(StandardJobKinds.RETENTION.name(), perDatabase(this::retention))
                .register(StandardJobKinds.SYNC.name(), claim -> {
                    try (CellarContext context = CellarContext.open(config, options(false))) {
                        return sync(context);
                    }
                });
    }

    /** The daily full: a logical backup of the database, then expire of what retention no longer keeps. */
    private JobResult fullBackup(CellarContext context, ScheduledDatabase db) {
        BackupResult backup = new LogicalBackupService(context).backupDatabase(null, config.backup().jobs(), ProgressListener.NONE);
        String backedUp = String.format(Locale.ROOT, "backup %s of %s: %d bytes, %d new", backup.manifest().id(), db.name(),
                backup.manifest().totalBytes(), backup.storedBytes());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("backup", backup);
        detail.put("copiesBehind", context.copiesBehind());
        ExpireService.ExpireRun expired;
        try {
            expired = new ExpireService(context).expire(false, null, null);
        } catch (CellarException e) {
            // the backup stands; the run still fails so that the expire that did not happen is alerted
            return JobResult.failed(backedUp + "; expire failed: " + e.getMessage() + (e.hint() == null ? "" : "; HINT: " + e.hint()),
                    json(detail));
        }
        detail.put("expire", expired);
        int removed = expired.copies().stream().mapToInt(c -> c.result().backupsDeleted().size()).sum();
        return JobResult.ok(backedUp + "; expire removed " + removed + " backup(s)" + behind(context), json(detail));
    }

    /** The hourly physical incremental (a full one when there is none to build on). */
    private JobResult incrementalBackup(CellarContext context, ScheduledDatabase db) {
        PhysicalBackupResult backup = new PhysicalBackupService(context).backup(true, db.dataDir(), config.backup().jobs(), null,
                ProgressListener.NONE);
        return JobResult.ok(String.format(Locale.ROOT, "%s physical backup %s of %s%s", backup.type(), backup.id(), db.name(),
                behind(context)), json(backup));
    }

    /**
     * The weekly check: every backup and WAL segment authenticated (in each copy, when there are
     * several), and the newest backup of the database restored and counted.
     */
    private JobResult verify(CellarContext context, ScheduledDatabase db) {
        VerifyService verify = new VerifyService(context);
        int jobs = config.backup().jobs();
        Map<String, Object> detail = new LinkedHashMap<>();
        boolean repositoryOk;
        if (verify.severalCopies()) {
            VerifyService.CopiesReport copies = verify.verifyCopies(List.of(), true, false, true, false, jobs, ProgressListener.NONE);
            detail.put("copies", copies);
            repositoryOk = copies.ok();
        } else {
            VerifyReport backups = verify.verifyBackups(List.of(), true, false, jobs, ProgressListener.NONE);
            WalArchiveReport wal = verify.verifyWal(jobs, ProgressListener.NONE);
            detail.put("verify", backups);
            detail.put("wal", wal);
            repositoryOk = backups.ok() && wal.ok();
        }
        RestoreTestReport restoreTest = verify.restoreTest("latest", MAINTENANCE_DATABASE, jobs, ProgressListener.NONE);
        detail.put("restoreTest", restoreTest);
        String summary = String.format(Locale.ROOT, "verify --all %s; restore test of %s %s", repositoryOk ? "ok" : "FAILED",
                db.name(), restoreTest.ok() ? "passed" : "FAILED");
        return repositoryOk && restoreTest.ok() ? JobResult.ok(summary, json(detail))
                : JobResult.failed(summary + "; run cellar verify --all and cellar verify --restore-test latest -d "
                        + db.connection().name() + " for the details", json(detail));
    }

    /** The archive of the month that ended (UTC), as 'archive create --month previous' writes it. */
    private JobResult monthlyArchive(CellarContext context, ScheduledDatabase db) {
        YearMonth month = YearMonth.now(context.hostClock().withZone(ZoneOffset.UTC)).minusMonths(1);
        // creating an archive restores nothing, so there is no erasure to re-apply
        ErasureReapplier noRestore = (repository, restored, source) -> {
            throw new IllegalStateException("the monthly archive job restores nothing");
        };
        ArchiveResults.Created created = new ArchiveService(context, noRestore).create(month, false, null);
        return JobResult.ok(String.format(Locale.ROOT, "archive %s of %s: %d rows, %s", created.archiveId(), db.name(), created.rows(),
                created.locked() ? "locked until " + created.lockedUntil() : "not locked"), json(created));
    }

    /** The data policy's retention at the run's time: archive, verify, then delete in batches (docs/data-lifecycle.md). */
    private JobResult retention(CellarContext context, ScheduledDatabase db) {
        RetentionApplyResult result = RetentionService.apply(context, new RetentionService.ApplyOptions(null, context.hostClock().instant(),
                RETENTION_BATCH_ROWS, Duration.ZERO, BatchPause.SLEEP), context.hostClock());
        return JobResult.ok(String.format(Locale.ROOT, "retention of %s: %d row(s) deleted in %d batch(es), %d skipped, archive %s",
                db.name(), result.deleted(), result.batches(), result.skipped(), result.archiveId()), json(result));
    }

    /** Brings every copy to the newest state; with every copy up to date it copies nothing. */
    private JobResult sync(CellarContext context) {
        SyncResult result = new RepoSyncService(context).sync(null, List.of(), false, config.backup().jobs(), ProgressListener.NONE);
        List<String> copied = result.targets().stream().filter(t -> !t.copiedNothing())
                .map(t -> t.from() + " -> " + t.to() + ": " + t.backupsCopied().size() + " backup(s), " + t.wal().objects() + " WAL file(s)")
                .toList();
        String summary = copied.isEmpty() ? "every copy up to date" : String.join("; ", copied);
        if (!result.unreachable().isEmpty()) {
            return JobResult.failed("repo sync: " + summary + "; unreachable: " + String.join(", ", result.unreachable()), json(result));
        }
        return JobResult.ok("repo sync: " + summary, json(result));
    }

    @FunctionalInterface
    private interface DatabaseJob {
        JobResult run(CellarContext context, ScheduledDatabase db) throws Exception;
    }

    private JobRunner perDatabase(DatabaseJob job) {
        return claim -> {
            ScheduledDatabase db = databaseOf(claim);
            try (CellarContext context = CellarContext.open(config.forDatabase(db), options(true))) {
                return job.run(context, db);
            }
        };
    }

    private ScheduledDatabase databaseOf(RunClaim claim) {
        return plan.job(claim.slot().jobKey()).flatMap(ScheduledJob::databaseIfAny)
                .orElseThrow(() -> new IllegalStateException("job " + claim.slot().jobKey() + " is no longer in this daemon's plan"));
    }

    private ContextOptions options(boolean databaseNamed) {
        return new ContextOptions(false, null, LOCK_WAIT, databaseNamed, warnings, new NeverPrompt(), System.getenv(), HostClock.system());
    }

    private static String behind(CellarContext context) {
        return context.copiesBehind().isEmpty() ? "" : "; copies behind: " + String.join(", ", context.copiesBehind());
    }

    private static String json(Object value) {
        try {
            return RepositoryJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

}
