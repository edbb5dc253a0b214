package dev.cellar.app;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.RecoverConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.erasure.LedgerErasureReapplier;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.recover.DatabaseSessions;
import dev.cellar.recover.HookRun;
import dev.cellar.recover.HookRunner;
import dev.cellar.recover.HookSequence;
import dev.cellar.recover.LiveSession;
import dev.cellar.recover.RecoverResult;
import dev.cellar.recover.RecoverStep;
import dev.cellar.recover.SessionGate;
import dev.cellar.recover.StepListener;
import dev.cellar.recover.StepRecorder;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.restore.LogicalRestore;
import dev.cellar.restore.LogicalRestoreOptions;
import dev.cellar.restore.PitrResult;
import dev.cellar.restore.RestoreResult;
import dev.cellar.restore.RestoreTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code cellar recover}: the seed's full system recovery as one command. Stops the application
 * (the pre-hooks), replaces the database with a backup the way {@code restore logical --force}
 * does (restored beside and renamed, so a failed restore leaves the old database in place), and
 * starts the application again (the post-hooks, which also run after a failed restore). The
 * physical variant runs the same hooks around a point-in-time restore into the production data
 * directory.
 *
 * <p>For the daemon: never a scheduled job. Reads the repository secret and the database password
 * (may prompt); runs the configured hook commands through /bin/sh; each step is told to the
 * listener as it starts and ends. Failures after the first hook are returned in the result (with
 * the steps that ran), not thrown; a refusal before any hook ran is thrown.
 */
public final class RecoverService {
    static final String AUDIT_OPERATION = "recover";
    private static final Duration SESSIONS_END_WAIT = Duration.ofSeconds(30);

    private final CellarContext context;

    public RecoverService(CellarContext context) {
        this.context = context;
    }

    /**
     * A logical recovery of one database.
     *
     * @param database            the database to replace (the configured database.name unless named)
     * @param backupId            a backup id, or 'latest' (of that database)
     * @param maintenanceDatabase the database to connect to for CREATE/ALTER/DROP DATABASE
     */
    public record LogicalRequest(String database, String backupId, boolean force, boolean dryRun, int jobs, String maintenanceDatabase) {
    }

    /** A physical recovery: the point-in-time restore's own request, run with force and start, inside the hooks. */
    public record PhysicalRequest(PitrRestoreService.Request pitr, boolean force, boolean dryRun) {
    }

    public RecoverResult logical(LogicalRequest request, StepListener listener) {
        CellarConfig config = context.config();
        StepRecorder steps = new StepRecorder(context.hostClock(), listener, request.dryRun());
        Instant started = steps.now();
        String database = request.database();
        // 1. The backup, read and authenticated, and the server checked; nothing is touched yet.
        CellarContext.Unlocked<RestoreTarget> unlocked = context.openRepositoryWhile(
                db -> RestoreTarget.prepare(db.withDatabase(request.maintenanceDatabase()), config.postgres().binDir()));
        Repository repository = unlocked.repository();
        BackupManifest[] chosen = new BackupManifest[1];
        steps.always("backup", "pick backup " + request.backupId() + " of database " + database + " and read its manifest", () -> {
            chosen[0] = new BackupCatalog(repository).resolve(request.backupId(), BackupManifest.KIND_LOGICAL,
                    context.backupSubjectRestoringInto(database));
            return "backup " + chosen[0].id() + " of database " + chosen[0].database() + ", taken " + chosen[0].finishedAt()
                    + ", " + chosen[0].totalBytes() + " bytes";
        });
        BackupManifest manifest = chosen[0];
        // 2. Nobody else on the database, or --force.
        DatabaseSessions sessions = new DatabaseSessions(unlocked.checked().server(), database);
        boolean exists = sessions.databaseExists();
        List<LiveSession> others = exists ? sessions.others() : List.of();
        Optional<CellarException> refusal = SessionGate.refusal(database, others, request.force());
        steps.always("sessions", "look for other sessions on database " + database, () -> !exists
                ? "database " + database + " does not exist: it is created"
                : SessionGate.describe(others) + (refusal.isPresent() && request.dryRun() ? "; a real run refuses (exit "
                + ErrorCode.DATABASE_IN_USE.exitCode() + ") unless --force" : others.isEmpty() ? "" : "; ended after the pre-hooks (--force)"));
        if (refusal.isPresent() && !request.dryRun()) {
            repository.audit().appendFailureForReading(AUDIT_OPERATION, database, manifest.id() + ": " + refusal.get().getMessage(),
                    Duration.between(started, steps.now()), refusal.get());
            throw refusal.get();
        }
        RecoverConfig hooks = config.recover();
        HookSequence hookRunner = new HookSequence(new HookRunner(hooks.hookTimeout(), context.hostClock()), steps);
        // 3. The pre-hooks; a failure stops everything before the database is touched.
        HookSequence.Outcome pre = hookRunner.run("pre-hook", hooks.preHooks(), true);
        if (pre.failed().isPresent()) {
            steps.skip("restore", "restore backup " + manifest.id() + " into database " + database, "not run: a pre-hook failed");
            hooks.postHooks().forEach(h -> steps.skip("post-hook", h, "not run: a pre-hook failed, so nothing was restored"));
            return finish(repository, steps, manifest, database, started, preHookFailure(pre, database));
        }
        // 4. Sessions kept out (and ended with --force), restore beside, swap; the old database stays on any failure.
        Failure failure = null;
        boolean keptOut = false;
        try {
            if (exists) {
                steps.run("keep-out", "refuse new connections to database " + database
                        + (request.force() ? " and end the other sessions" : ""), () -> keepOut(sessions, database, request.force()));
                keptOut = !request.dryRun();
            }
            steps.run("restore", "restore backup " + manifest.id() + " into a new database beside " + database
                    + ", re-apply the erasure ledger, then put it in the old one's place", () -> restore(unlocked, manifest, database, request));
        } catch (CellarException e) {
            failure = new Failure(e.code(), e.getMessage() + "; database " + database + (exists ? " is unchanged" : " was not created"),
                    e.hint());
        } finally {
            if (keptOut) {
                // the restored database accepts connections already; this lets them in again on the old one after a failure
                steps.run("allow-connections", "let sessions connect to database " + database + " again", () -> {
                    if (sessions.databaseExists() && !sessions.allowsConnections()) {
                        sessions.allowConnections(true);
                    }
                    return "";
                });
            }
        }
        // 5. The post-hooks, also after a failed restore: the old database is still there.
        HookSequence.Outcome post = hookRunner.run("post-hook", hooks.postHooks(), false);
        if (failure == null && post.failed().isPresent()) {
            HookRun hook = post.failed().get();
            failure = new Failure(ErrorCode.HOOK_FAILED, "database " + database + " was recovered from backup " + manifest.id()
                    + ", but post-hook '" + hook.command() + "' " + hook.problem(),
                    "the application may not be running: read the hook's output above, start it by hand, fix recover.post-hooks");
        }
        return finish(repository, steps, manifest, database, started, failure);
    }

    public RecoverResult physical(PhysicalRequest request, StepListener listener) {
        StepRecorder steps = new StepRecorder(context.hostClock(), listener, request.dryRun());
        Instant started = steps.now();
        Path dataDir = request.pitr().dataDir().toAbsolutePath().normalize();
        Repository repository = context.openRepository();
        steps.always("data-dir", "look at data directory " + dataDir, () -> runningPostmaster(dataDir)
                .map(pid -> "a PostgreSQL server (pid " + pid + ") runs in it: the pre-hooks must stop it"
                        + (request.force() ? ", else it is stopped (pg_ctl stop -m fast, --force)" : ", else the recovery stops"))
                .orElse("no server running in it"));
        RecoverConfig hooks = context.config().recover();
        HookSequence hookRunner = new HookSequence(new HookRunner(hooks.hookTimeout(), context.hostClock()), steps);
        HookSequence.Outcome pre = hookRunner.run("pre-hook", hooks.preHooks(), true);
        String what = "restore " + (request.pitr().backupId() == null ? "the physical backup the target needs" : "backup " + request.pitr().backupId())
                + " into " + dataDir + " (its contents deleted first), replay WAL to " + request.pitr().target().describe() + ", start PostgreSQL";
        if (pre.failed().isPresent()) {
            steps.skip("restore", what, "not run: a pre-hook failed");
            hooks.postHooks().forEach(h -> steps.skip("post-hook", h, "not run: a pre-hook failed, so nothing was restored"));
            return finishPhysical(repository, steps, dataDir, null, started, preHookFailure(pre, dataDir.toString()));
        }
        Failure failure = null;
        String[] backupId = new String[1];
        try {
            steps.run("server-stopped", "make sure no PostgreSQL server runs in " + dataDir, () -> stopped(dataDir, request.force()));
            steps.run("restore", what, () -> {
                PitrResult result = new PitrRestoreService(context).restore(request.pitr(), ProgressListener.NONE);
                backupId[0] = result.backupId();
                return "backup " + result.backupId() + " restored, " + result.state() + " at " + result.replayedLsn()
                        + (result.lastReplayedCommit() == null ? "" : ", last commit replayed " + result.lastReplayedCommit());
            });
        } catch (CellarException e) {
            failure = new Failure(e.code(), e.getMessage(), e.hint());
        }
        HookSequence.Outcome post = hookRunner.run("post-hook", hooks.postHooks(), false);
        if (failure == null && post.failed().isPresent()) {
            HookRun hook = post.failed().get();
            failure = new Failure(ErrorCode.HOOK_FAILED, dataDir + " was recovered, but post-hook '" + hook.command() + "' " + hook.problem(),
                    "the application may not be running: read the hook's output above, start it by hand, fix recover.post-hooks");
        }
        return finishPhysical(repository, steps, dataDir, backupId[0], started, failure);
    }

    private record Failure(ErrorCode code, String message, String hint) {
    }

    private static Failure preHookFailure(HookSequence.Outcome pre, String target) {
        HookRun hook = pre.failed().orElseThrow();
        return new Failure(ErrorCode.HOOK_FAILED, "pre-hook '" + hook.command() + "' " + hook.problem() + "; the recovery stopped before "
                + target + " was touched and the post-hooks were not run" + (pre.succeeded().isEmpty() ? ""
                : "; the application may be stopped: these pre-hooks ran: " + String.join("; ", pre.succeeded())),
                "read the hook's output above and fix it (recover.pre-hooks), start what the pre-hooks stopped by hand if needed, run recover again");
    }

    private String keepOut(DatabaseSessions sessions, String database, boolean force) {
        sessions.allowConnections(false);
        List<LiveSession> left = sessions.others();
        if (left.isEmpty()) {
            return "no other session";
        }
        if (!force) {
            throw new CellarException(ErrorCode.DATABASE_IN_USE, "database " + database + " is still in use after the pre-hooks: "
                    + SessionGate.describe(left), "make the pre-hooks stop every client of the database, or pass --force to end these sessions");
        }
        sessions.terminateOthers();
        Instant deadline = Instant.now().plus(SESSIONS_END_WAIT);
        // pg_terminate_backend only signals; the rename at the end of the restore needs them gone
        while (!sessions.others().isEmpty() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while waiting for the sessions on " + database + " to end");
            }
        }
        return "ended " + SessionGate.describe(left);
    }

    private String restore(CellarContext.Unlocked<RestoreTarget> unlocked, BackupManifest manifest, String database, LogicalRequest request) {
        CellarConfig config = context.config();
        LogicalRestoreOptions options = new LogicalRestoreOptions(database, List.of(), true, false, request.jobs(), config.backup().workDir(),
                config.postgres().binDir(), context.lockWait());
        RestoreResult result = new LogicalRestore(unlocked.repository(), unlocked.checked(), options, ProgressListener.NONE)
                .reapplyingErasures(new LedgerErasureReapplier()).run(manifest.id());
        return "restored backup " + result.backupId() + " as database " + result.targetDatabase() + " in " + result.duration().toMillis() + " ms"
                + (result.replacedExisting() ? " (replaced the old one)" : "")
                + (result.erasures() == null || result.erasures().ledgerEntries() == 0 ? ""
                : "; erasure ledger re-applied: " + result.erasures().rowsChanged() + " row(s) changed");
    }

    private String stopped(Path dataDir, boolean force) {
        Optional<Long> pid = runningPostmaster(dataDir);
        if (pid.isEmpty()) {
            return "no server running";
        }
        if (!force) {
            throw new CellarException(ErrorCode.DATABASE_IN_USE, "a PostgreSQL server (pid " + pid.get() + ") still runs in " + dataDir
                    + " after the pre-hooks; nothing was restored", "make a pre-hook stop it (e.g. systemctl stop postgresql), or pass --force to stop it");
        }
        Path pgCtl = PgBinaries.locate(context.config().postgres().binDir()).path("pg_ctl");
        try {
            Process p = new ProcessBuilder(pgCtl.toString(), "-D", dataDir.toString(), "stop", "-m", "fast", "-w", "-t", "120")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(130, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "pg_ctl stop of the server in " + dataDir + " failed: " + output.strip(),
                        "stop it by hand, then run recover again");
            }
            return "stopped the server (pid " + pid.get() + ") with pg_ctl stop -m fast";
        } catch (IOException e) {
            throw new CellarException(ErrorCode.BINARY_MISSING, "cannot run " + pgCtl + ": " + e.getMessage(), "set postgres.bin-dir");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while stopping the server in " + dataDir);
        }
    }

    /** The pid postmaster.pid names, when that process is alive. */
    static Optional<Long> runningPostmaster(Path dataDir) {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private RecoverResult finish(Repository repository, StepRecorder steps, BackupManifest manifest, String database, Instant started,
                                 Failure failure) {
        return done(repository, steps, "logical", database, manifest.id(), manifest.totalBytes(), started, failure);
    }

    private RecoverResult finishPhysical(Repository repository, StepRecorder steps, Path dataDir, String backupId, Instant started,
                                         Failure failure) {
        return done(repository, steps, "physical", dataDir.toString(), backupId, 0, started, failure);
    }

    private RecoverResult done(Repository repository, StepRecorder steps, String mode, String target, String backupId, long bytes,
                               Instant started, Failure failure) {
        Duration took = Duration.between(started, steps.now());
        List<RecoverStep> done = steps.steps();
        if (!steps.dryRun()) {
            String detail = mode + (backupId == null ? "" : " from " + backupId) + ": " + done.stream()
                    .map(s -> s.name() + (s.name().endsWith("hook") ? " '" + s.detail() + "'" : "") + " " + s.outcome().name().toLowerCase())
                    .collect(Collectors.joining(", "));
            if (failure == null) {
                repository.audit().appendForReading(AUDIT_OPERATION, target, AuditRecord.OK, detail, bytes, took);
            } else {
                repository.audit().appendFailureForReading(AUDIT_OPERATION, target, detail + ": " + failure.message(), took,
                        new CellarException(failure.code(), failure.message(), failure.hint()));
            }
        }
        return failure == null
                ? new RecoverResult(mode, target, backupId, steps.dryRun(), true, done, null, null, null, 0, took)
                : new RecoverResult(mode, target, backupId, steps.dryRun(), false, done, failure.code().name(), failure.message(), failure.hint(),
                failure.code().exitCode(), took);
    }
}
