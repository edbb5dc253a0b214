package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.PgVersion;
import dev.cellar.pg.ProcessRunner;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.wal.Lsn;
import dev.cellar.wal.RecoveryChain;
import dev.cellar.wal.TimelineHistory;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.WalRecordReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Point-in-time recovery: picks the backup (placing a transaction id or restore point in the
 * archived WAL first), checks before touching anything that the archive can carry recovery from
 * it to the target, restores the files, writes the recovery settings, and optionally starts
 * PostgreSQL and waits until it reached the target. Whatever happens (success, failure, SIGTERM,
 * even SIGKILL), no WAL agent and no spool folder of decrypted WAL outlives the restore; every
 * run is recorded in the audit trail.
 */
public final class PitrRestore {
    static final String AUDIT_OPERATION = "restore.pitr";

    private final Repository repository;
    private final WalArchive archive;
    private final PitrOptions options;
    private final ProgressListener progress;
    /** What an interrupt (SIGTERM, Ctrl-C) must undo; read by the shutdown hook. */
    private volatile RecoverySpool activeSpool;
    private volatile RecoveringServer serverUnderWay;
    private volatile String backupInUse;
    private final AtomicBoolean audited = new AtomicBoolean();
    private volatile boolean signalled;

    public PitrRestore(Repository repository, WalArchive archive, PitrOptions options, ProgressListener progress) {
        this.repository = repository;
        this.archive = archive;
        this.options = options;
        this.progress = progress;
    }

    public PitrResult run() {
        Instant started = repository.clock().instant();
        Thread onSignal = new Thread(() -> interrupted(started), "restore-pitr-interrupted");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            PitrResult result = restore(started);
            if (audited.compareAndSet(false, true)) {
                repository.audit().appendForReading(AUDIT_OPERATION, options.dataDir().toString(), AuditRecord.OK, auditDetail(result),
                        result.bytes(), result.duration());
            }
            return result;
        } catch (RuntimeException e) {
            // after a signal the shutdown hook writes the record (the JVM may end before this thread gets further)
            if (!signalled && audited.compareAndSet(false, true)) {
                repository.audit().appendFailureForReading(AUDIT_OPERATION, options.dataDir().toString(), failureDetail(e.getMessage()),
                        Duration.between(started, repository.clock().instant()), e);
            }
            throw e;
        } finally {
            removeHook(onSignal);
        }
    }

    private PitrResult restore(Instant started) {
        // 1. One listing of the WAL archive serves the whole restore (on an object store it is many requests).
        List<WalFileName> walFiles = archive.list();
        Set<String> archived = new HashSet<>();
        walFiles.forEach(f -> archived.add(f.name()));
        // 2. The spool stays out of the data directory and the repository; folders earlier restores left are swept.
        requireSpoolApart();
        prepareSpoolRoot();
        RecoverySpool.sweepAbandoned(options.spool());
        // 3. The backup: the newest that ends before the target; a transaction id or restore point is looked up in the WAL.
        BackupChoice choice = choose(candidates(options.target(), archived), archived);
        // 4. Restore from it. Only when the WAL could not place the target does recovery tell, trying older backups in turn.
        int recoveries = 0;
        for (int i = 0; ; i++) {
            BackupManifest backup = choice.order().get(i);
            try {
                return restoreFrom(backup, choice, started, i > 0, walFiles, archived, recoveries);
            } catch (RecoveringServer.TargetNotReachedException e) {
                recoveries++;
                if (!options.start() || i == choice.order().size() - 1) {
                    throw e;
                }
                progress.progress("recovery from backup " + backup.id() + " did not meet the target; trying the older backup "
                        + choice.order().get(i + 1).id(), 0, 0);
            }
        }
    }

    private PitrResult restoreFrom(BackupManifest backup, BackupChoice choice, Instant started, boolean replaceOwnEarlierAttempt,
                                   List<WalFileName> walFiles, Set<String> archived, int recoveriesBefore) {
        RecoveryTarget target = options.target();
        PhysicalInfo info = backup.physical();
        backupInUse = backup.id();
        RecoverySpool spool = null;
        try {
            RecoveryChain chain;
            PhysicalFileRestore.Result files;
            Path spoolPath = RecoverySpool.newPath(options.spool(), backup.id());
            try (RepositoryLock.Held lock = repository.locks().acquireForReading("restore pitr", Duration.ZERO)) {
                // a. every WAL file from the backup to the target is archived and readable, before anything is written
                chain = chainOf(backup, archived);
                requireReachable(backup, chain, target);
                requireThawed(chain);
                // a server starts only a data directory of its own major: find it before anything is written
                if (options.start()) {
                    serverBinaries(info).requireMajor("pg_ctl", PgVersion.fromServerVersionNum(info.serverVersionNum()),
                            "start the restored backup " + backup.id());
                }
                EmptyDataDirectory.prepare(options.dataDir(), options.force() || replaceOwnEarlierAttempt);
                // b. with --start, the restore's WAL agent fetches ahead while the files are restored
                if (options.start()) {
                    // a process killed right here leaves a folder without agent: the next restore sweeps it
                    activeSpool = spool = RecoverySpool.open(spoolPath, options.dataDir(), spoolOwner());
                    spool.startAgent(options.cellarCommand(), options.dataDir(), segmentBefore(info), serverUser());
                }
                // c. the files
                files = new PhysicalFileRestore(repository).restore(backup, options.dataDir(), options.tablespaceRemap(), options.jobs(), progress);
            }
            // d. every timeline history file into pg_wal, where PostgreSQL finds it without asking restore_command
            placeHistoryFiles(walFiles);
            // e. recovery.signal and the settings; restore_command names the spool, which a manual start creates on demand
            String restoreCommand = RestoreCommandLine.build(options.cellarCommand(), spoolPath, options.dataDir());
            Map<String, String> extra = new LinkedHashMap<>();
            if (options.port() != null) {
                extra.put("port", String.valueOf(options.port()));
            }
            if (options.archiveModeOff()) {
                extra.put("archive_mode", "off");
            }
            RecoveryConfig.write(options.dataDir(), restoreCommand, target.settings(), extra, backup.id(), repository.clock().instant());
            Instant lastArchived = chain.isEmpty() ? null : archive.header(chain.last()).archivedAt();
            // f. with --start: recover, then stop the agent and delete the spool at once
            RecoveringServer.Outcome outcome = null;
            int prefetched = 0;
            int recoveries = recoveriesBefore;
            if (options.start()) {
                recoveries++;
                outcome = recover(info);
                spool.close();
                prefetched = spool.prefetched();
            }
            return new PitrResult(backup.id(), info.type(), backup.finishedAt(), choice.reason(), choice.targetLsn(), recoveries,
                    target.describe(), target.timeline(), options.dataDir(), files.files(), files.bytes(), files.duration(),
                    info.startWal(), chain.isEmpty() ? null : chain.last().name(), lastArchived, prefetched, restoreCommand,
                    outcome == null ? "not started" : outcome.state(), outcome == null ? null : outcome.replayedLsn(),
                    outcome == null ? null : outcome.lastReplayedCommit(), outcome == null ? null : outcome.timeline(),
                    outcome == null ? null : outcome.stopMessage(), outcome == null ? null : outcome.recovery(),
                    Duration.between(started, repository.clock().instant()), List.of());
        } finally {
            if (spool != null) {
                spool.close();
                activeSpool = null;
            }
        }
    }

    /** Starts the restored server and waits until it reached the target; an interrupt meanwhile stops it. */
    private RecoveringServer.Outcome recover(PhysicalInfo info) {
        PgBinaries bins = PgBinaries.locateFor(options.binDir(), PgVersion.fromServerVersionNum(info.serverVersionNum()));
        int port = options.port() != null ? options.port() : configuredPort();
        PgConnectionSpec connection = new PgConnectionSpec(options.connection().host(), port, options.connection().user(),
                "postgres", options.connection().password(), options.connection().tls());
        RecoveringServer server = new RecoveringServer(bins, options.dataDir(), connection, serverUser(), repository.clock());
        serverUnderWay = server;
        try {
            server.start();
            return server.awaitTarget(options.target().kind() == RecoveryTarget.Kind.LATEST ? "promote" : options.target().action(),
                    options.timeout());
        } finally {
            serverUnderWay = null;
        }
    }

    /**
     * The shutdown hook: a restore interrupted by SIGTERM or Ctrl-C stops the server it started
     * (recovery resumes with {@code pg_ctl start}), stops its agent, deletes its spool and says
     * so in the audit trail. SIGKILL cannot be caught; then the agent notices on its own.
     */
    private void interrupted(Instant started) {
        if (audited.get()) {
            return;
        }
        signalled = true;
        RecoveringServer server = serverUnderWay;
        if (server != null) {
            server.stopQuietly();
        }
        RecoverySpool spool = activeSpool;
        if (spool != null) {
            spool.close();
        }
        if (audited.compareAndSet(false, true)) {
            Duration elapsed = Duration.between(started, repository.clock().instant());
            try {
                repository.audit().appendForReading(AUDIT_OPERATION, options.dataDir().toString(), AuditRecord.INTERRUPTED,
                        failureDetail("interrupted: the process was stopped by a signal (SIGTERM, SIGINT or SIGHUP) after "
                                + elapsed.toSeconds() + " s" + (server == null ? "" : "; the recovering server was stopped")), 0, elapsed);
            } catch (RuntimeException e) {
                // the process is going down; the audit trail is all that is lost
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran
        }
    }

    private String auditDetail(PitrResult result) {
        return "backup " + result.backupId() + " to " + result.target() + ": " + result.state()
                + (result.replayedLsn() == null ? "" : " at LSN " + result.replayedLsn()) + "; " + result.backupChoice();
    }

    private String failureDetail(String message) {
        return (backupInUse == null ? "" : "backup " + backupInUse + " ") + "to " + options.target().describe() + ": " + message;
    }

    /**
     * The backup to start from and why. For a transaction id or restore point the archived WAL is
     * read to find the record recovery will stop at (no trial recovery); only when the WAL cannot
     * tell does recovery decide, newest backup first.
     */
    private BackupChoice choose(List<BackupManifest> candidates, Set<String> archived) {
        List<BackupManifest> newestFirst = new ArrayList<>(candidates);
        Collections.reverse(newestFirst);
        BackupManifest newest = newestFirst.get(0);
        boolean named = options.backupId() != null && !BackupCatalog.LATEST.equalsIgnoreCase(options.backupId());
        RecoveryTarget target = options.target();
        String which = named ? "backup " + newest.id() + ", named with --backup" : "the newest backup";
        return switch (target.kind()) {
            case XID, NAME -> locate(newestFirst, archived, named);
            case TIME -> BackupChoice.of(newest, which + (named ? "" : " that finished before " + target.value())
                    + " (finished " + newest.finishedAt() + ")");
            case LSN -> BackupChoice.of(newest, which + (named ? "" : " that ends before LSN " + target.value())
                    + " (end LSN " + newest.physical().stopLsn() + ")");
            default -> BackupChoice.of(newest, which + " (finished " + newest.finishedAt() + ", end LSN " + newest.physical().stopLsn() + ")");
        };
    }

    private BackupChoice locate(List<BackupManifest> newestFirst, Set<String> archived, boolean named) {
        RecoveryTarget target = options.target();
        // a backup named with --backup is searched together with the older ones, to say which would do when it does not
        List<BackupManifest> search = named ? withOlderBackups(newestFirst.get(0), archived) : newestFirst;
        TargetLocator.Outcome outcome = new TargetLocator(archive, target, progress).locate(search, b -> chainOf(b, archived));
        return switch (outcome) {
            case TargetLocator.Found found when named && found.backup() != search.get(0) -> throw new CellarException(
                    ErrorCode.TARGET_UNREACHABLE, describe(found.record(), found.file()) + ", before the end of backup " + search.get(0).id()
                            + " (LSN " + search.get(0).physical().stopLsn() + "): recovery from it cannot stop there; backup "
                            + found.backup().id() + " ends before it (LSN " + found.backup().physical().stopLsn() + "); nothing was written",
                    "leave out --backup to let Cellar choose, or name backup " + found.backup().id());
            case TargetLocator.Found found -> {
                PhysicalInfo info = found.backup().physical();
                String reason = describe(found.record(), found.file()) + ", after the end of backup " + found.backup().id()
                        + " (LSN " + info.stopLsn() + ")" + (found.newer() == null ? "" : " and before the end of backup "
                        + found.newer().id() + " (LSN " + found.newer().physical().stopLsn() + ")");
                yield new BackupChoice(List.of(found.backup()), reason, Lsn.format(found.record().lsn()));
            }
            case TargetLocator.BeforeEveryBackup before -> throw new CellarException(ErrorCode.TARGET_UNREACHABLE,
                    describe(before.record(), before.file()) + ", before the end of " + (search.size() == 1 ? "" : "the oldest ") + "backup "
                            + before.oldest().id() + " (LSN " + before.oldest().physical().stopLsn() + "): recovery cannot stop "
                            + "inside a backup; nothing was written",
                    named ? "leave out --backup to let Cellar choose, or name an older backup" : "choose a later target; 'cellar list' shows the backups");
            case TargetLocator.Absent absent -> throw new CellarException(ErrorCode.TARGET_UNREACHABLE,
                    notFound(target) + " in the archived WAL from " + absent.first() + " to " + absent.last() + ", from the start of "
                            + (search.size() == 1 ? "" : "the oldest ") + "backup " + search.get(search.size() - 1).id()
                            + " on; nothing was written",
                    (target.kind() == RecoveryTarget.Kind.XID
                            ? "check the id (txid_current() inside the transaction); a transaction still running or not yet archived "
                                    + "cannot be a target"
                            : "check the name (restore points are created with pg_create_restore_point)")
                            + (named && search.size() == 1 ? "; it may lie before backup " + search.get(0).id() + ", the oldest one" : "")
                            + "; --target-latest replays everything archived");
            case TargetLocator.Undecided undecided -> new BackupChoice(newestFirst, "could not place " + target.describe()
                    + " in the archived WAL (" + undecided.why() + "); recovery tries the backups newest first", null);
        };
    }

    /** {@code backup} first, then the older physical backups of its cluster that recovery could start from, newest first. */
    private List<BackupManifest> withOlderBackups(BackupManifest backup, Set<String> archived) {
        List<BackupManifest> search = new ArrayList<>(List.of(backup));
        new BackupCatalog(repository).all().stream().filter(BackupManifest::isPhysical)
                .filter(b -> b.physical().systemIdentifier() == backup.physical().systemIdentifier())
                .filter(b -> Lsn.parse(b.physical().stopLsn()) < Lsn.parse(backup.physical().stopLsn()))
                .filter(b -> followable(b.physical().timeline(), archived))
                .sorted(Comparator.comparing((BackupManifest b) -> Lsn.parse(b.physical().stopLsn())).reversed())
                .forEach(search::add);
        return search;
    }

    private static String describe(WalRecordReader.Event record, WalFileName file) {
        String where = " at LSN " + Lsn.format(record.lsn()) + " (segment " + file.name() + (record.time() == null ? "" : ", " + record.time()) + ")";
        return switch (record.kind()) {
            case COMMIT -> "transaction " + record.xid() + " committed" + where;
            case ABORT -> "transaction " + record.xid() + " aborted" + where;
            case COMMIT_PREPARED -> "prepared transaction " + record.xid() + " committed" + where;
            case ABORT_PREPARED -> "prepared transaction " + record.xid() + " was rolled back" + where;
            case RESTORE_POINT -> "restore point '" + record.name() + "' was created" + where;
            case PREPARE -> "transaction " + record.xid() + " was prepared" + where;
        };
    }

    private static String notFound(RecoveryTarget target) {
        return target.kind() == RecoveryTarget.Kind.XID
                ? "transaction " + target.value() + " neither committed nor aborted"
                : "restore point '" + target.value() + "' does not exist";
    }

    /** The WAL files recovery from {@code backup} reads along the target's timeline. */
    private RecoveryChain chainOf(BackupManifest backup, Set<String> archived) {
        PhysicalInfo info = backup.physical();
        long segmentSize = info.walSegmentSize();
        return RecoveryChain.walk(archived, targetHistory(info.timeline(), archived), WalFileName.parse(info.startWal()).segmentNumber(segmentSize),
                segmentSize);
    }

    /** The segment before the backup's first: the agent starts fetching ahead after it. */
    private static WalFileName segmentBefore(PhysicalInfo info) {
        long segmentSize = info.walSegmentSize();
        long first = WalFileName.parse(info.startWal()).segmentNumber(segmentSize);
        return first == 0 ? null : WalFileName.segment(info.timeline(), first - 1, segmentSize);
    }

    /** The programs that start the restored server: of the backup's major, found first when nothing is configured. */
    private PgBinaries serverBinaries(PhysicalInfo info) {
        return PgBinaries.locateFor(options.binDir(), PgVersion.fromServerVersionNum(info.serverVersionNum()));
    }

    /**
     * The given backup, or every physical backup of the newest cluster that ends before the
     * target on a timeline recovery can follow, oldest first (the last one is used first).
     */
    private List<BackupManifest> candidates(RecoveryTarget target, Set<String> archived) {
        BackupCatalog catalog = new BackupCatalog(repository);
        if (options.backupId() != null && !BackupCatalog.LATEST.equalsIgnoreCase(options.backupId())) {
            BackupManifest chosen = catalog.resolve(options.backupId(), BackupManifest.KIND_PHYSICAL);
            requireBefore(chosen, target);
            return List.of(chosen);
        }
        // the configured cluster's backups (asked of its server only when the repository holds several clusters)
        List<BackupManifest> physical = catalog.physicalBackupsOfOneCluster(() -> ConfiguredCluster.systemIdentifier(options.connection()));
        if (physical.isEmpty()) {
            throw new CellarException(ErrorCode.NOT_FOUND, "repository " + repository.storage().describe() + " holds no physical backup",
                    "take one with 'cellar backup physical'; point-in-time recovery starts from a physical backup");
        }
        List<BackupManifest> candidates = physical.stream()
                .filter(b -> endsBefore(b, target))
                .filter(b -> followable(b.physical().timeline(), archived))
                .toList();
        if (candidates.isEmpty()) {
            BackupManifest oldest = physical.get(0);
            throw new CellarException(ErrorCode.TARGET_UNREACHABLE, "no physical backup ends before " + target.describe()
                    + "; the earliest point this repository can reach is the end of backup " + oldest.id()
                    + " (LSN " + oldest.physical().stopLsn() + ", finished " + oldest.finishedAt() + ")",
                    "choose a later target; 'cellar list' shows the backups");
        }
        return candidates;
    }

    /** Whether recovery from a backup on this timeline can reach the requested target timeline. */
    private boolean followable(int backupTimeline, Set<String> archived) {
        String wanted = options.target().timeline();
        return !wanted.matches("[0-9]+") || history(Integer.parseInt(wanted), archived).includes(backupTimeline);
    }

    private static boolean endsBefore(BackupManifest backup, RecoveryTarget target) {
        return switch (target.kind()) {
            // finishedAt is after pg_backup_stop returned, so a backup that finished before the
            // target time is certainly consistent before it
            case TIME -> !backup.finishedAt().isAfter(target.time());
            case LSN -> Lsn.parse(backup.physical().stopLsn()) <= Lsn.parse(target.value());
            default -> true;
        };
    }

    private static void requireBefore(BackupManifest backup, RecoveryTarget target) {
        if (!endsBefore(backup, target)) {
            throw new CellarException(ErrorCode.TARGET_UNREACHABLE, "backup " + backup.id() + " ends after " + target.describe()
                    + " (stop LSN " + backup.physical().stopLsn() + ", finished " + backup.finishedAt() + ")",
                    "choose an older backup, or leave out --backup to let Cellar pick one");
        }
    }

    /** The timeline recovery will follow, with its ancestry from the archived history files. */
    private TimelineHistory targetHistory(int backupTimeline, Set<String> archived) {
        String wanted = options.target().timeline();
        if (wanted.equals("current")) {
            return history(backupTimeline, archived);
        }
        if (!wanted.equals("latest")) {
            TimelineHistory chosen = history(Integer.parseInt(wanted), archived);
            if (!chosen.includes(backupTimeline)) {
                throw new CellarException(ErrorCode.TARGET_UNREACHABLE, "timeline " + wanted + " does not descend from timeline "
                        + backupTimeline + " of the backup", "choose a backup taken on timeline " + wanted + " or one of its ancestors");
            }
            return chosen;
        }
        TimelineHistory best = history(backupTimeline, archived);
        for (String name : archived) {
            if (name.endsWith(".history")) {
                TimelineHistory candidate = history(WalFileName.parse(name).timeline(), archived);
                if (candidate.timeline() > best.timeline() && candidate.includes(backupTimeline)) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    private TimelineHistory history(int timeline, Set<String> archived) {
        String name = WalFileName.historyName(timeline);
        if (timeline == 1 || !archived.contains(name)) {
            return TimelineHistory.root(timeline);
        }
        return TimelineHistory.parse(timeline, new String(archive.read(WalFileName.parse(name)), StandardCharsets.UTF_8));
    }

    /**
     * WAL this recovery needs that the bucket moved to an archive class cannot be fetched during
     * recovery (a thaw takes hours, and a restore_command that finds nothing lets PostgreSQL end
     * recovery early), so it is found before anything is written. With --restore-request its
     * thaw is started; either way the restore stops.
     */
    private void requireThawed(RecoveryChain chain) {
        if (chain.isEmpty()) {
            return;
        }
        List<WalFileName> archivedFiles = archive.archivedAmong(chain.files());
        if (archivedFiles.isEmpty()) {
            return;
        }
        String which = archivedFiles.size() + " of the " + chain.files().size() + " WAL files this recovery needs (" + archivedFiles.get(0)
                + (archivedFiles.size() > 1 ? " to " + archivedFiles.get(archivedFiles.size() - 1) : "") + ")";
        if (options.thawFor() == null) {
            throw new CellarException(ErrorCode.OBJECT_ARCHIVED, which + " sit in an archive storage class (Glacier / Deep Archive)"
                    + " and cannot be read until thawed; nothing was written",
                    "run the same command with --restore-request to start the thaw, then again once it has finished "
                            + "(Glacier: 3-5 hours, Deep Archive: up to 12)");
        }
        int thawing = archive.requestThaw(archivedFiles, options.thawFor());
        throw new CellarException(ErrorCode.OBJECT_ARCHIVED, "started thawing " + thawing + " of " + which + "; nothing was written",
                "run the same command again once the thaw has finished: Glacier Flexible Retrieval takes 3-5 hours, "
                        + "Deep Archive up to 12; the thawed copies stay readable for " + options.thawFor().toDays() + " days");
    }

    private void requireReachable(BackupManifest backup, RecoveryChain chain, RecoveryTarget target) {
        PhysicalInfo info = backup.physical();
        long segmentSize = info.walSegmentSize();
        if (!chain.reaches(Lsn.parse(info.stopLsn()), segmentSize)) {
            throw new CellarException(ErrorCode.INTEGRITY, "the WAL that makes backup " + backup.id() + " consistent is not all archived: "
                    + chain.firstMissing() + " is missing (the backup needs " + info.startWal() + " to " + info.stopWal() + ")",
                    "check archive_command and 'cellar verify'; choose another backup with --backup");
        }
        WalFileName last = chain.last();
        String reach = "the archive reaches without a gap from " + info.startWal() + " to " + last
                + (chain.firstMissing() == null ? "" : " (" + chain.firstMissing() + " is missing)");
        switch (target.kind()) {
            case LSN -> {
                if (!chain.reaches(Lsn.parse(target.value()), segmentSize)) {
                    throw new CellarException(ErrorCode.TARGET_UNREACHABLE, target.describe() + " is beyond the archived WAL: " + reach,
                            "choose an earlier LSN, or --target latest");
                }
            }
            case TIME -> {
                Instant archivedAt = archive.header(last).archivedAt();
                if (archivedAt.isBefore(target.time())) {
                    throw new CellarException(ErrorCode.TARGET_UNREACHABLE, target.describe() + " is later than the newest archived WAL: "
                            + reach + ", archived at " + archivedAt,
                            "choose a time before " + archivedAt + ", or --target latest");
                }
            }
            default -> { }
        }
    }

    /**
     * Every archived timeline history file into pg_wal. PostgreSQL looks there when
     * restore_command does not answer for a history file, and probes for them at start and at
     * promotion; so restore_command answers history requests at once, without a program start.
     */
    private void placeHistoryFiles(List<WalFileName> walFiles) {
        UserPrincipal owner = spoolOwner();
        Path pgWal = options.dataDir().resolve("pg_wal");
        for (WalFileName file : walFiles) {
            if (file.kind() == WalFileName.Kind.HISTORY) {
                Path target = pgWal.resolve(file.name());
                archive.fetch(file, target);
                if (owner != null) {
                    try {
                        Files.setOwner(target, owner);
                    } catch (IOException e) {
                        throw new CellarException(ErrorCode.INTERNAL, "cannot hand " + target + " to " + owner.getName() + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * The spool (WAL fetched ahead, decrypted) must not lie inside the data directory, where a
     * --force restore deletes it and a copy of the directory takes it along, nor inside the
     * repository, and the data directory must not lie inside it.
     */
    private void requireSpoolApart() {
        Path spool = options.spool().toAbsolutePath().normalize();
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        if (spool.startsWith(dataDir) || dataDir.startsWith(spool)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "the WAL spool folder " + spool + " and the data directory " + dataDir
                    + " lie inside one another", "set wal.spool-path to a folder outside every data directory (e.g. /var/lib/cellar/spool)");
        }
        Path repositoryFolder = options.repositoryFolder();
        if (repositoryFolder != null) {
            Path repo = repositoryFolder.toAbsolutePath().normalize();
            if (spool.startsWith(repo) || repo.startsWith(spool)) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "the WAL spool folder " + spool + " and the repository " + repo
                        + " lie inside one another", "set wal.spool-path to a folder outside the repository");
            }
        }
    }

    /** The folder restore spools are made in; PostgreSQL's user must be able to create one there on demand. */
    private void prepareSpoolRoot() {
        try {
            Files.createDirectories(options.spool());
            UserPrincipal owner = spoolOwner();
            if (owner != null) {
                Files.setOwner(options.spool(), owner);
            }
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot create the WAL spool folder " + options.spool() + ": " + e.getMessage(),
                    "set wal.spool-path to a folder the database's OS user can write");
        }
    }

    /** When running as root, files PostgreSQL must move belong to the data directory's owner. */
    private UserPrincipal spoolOwner() {
        if (!ProcessRunner.runningAsRoot()) {
            return null;
        }
        try {
            // before the files are restored the data directory may not exist yet: it will belong to its parent's owner
            Path dataDir = options.dataDir();
            return Files.getOwner(Files.exists(dataDir) ? dataDir : dataDir.toAbsolutePath().getParent());
        } catch (IOException e) {
            return null;
        }
    }

    private String serverUser() {
        UserPrincipal owner = spoolOwner();
        return owner == null ? null : owner.getName();
    }

    private int configuredPort() {
        try {
            int port = 5432;
            for (String file : List.of("postgresql.conf", "postgresql.auto.conf")) {
                for (String line : Files.readAllLines(options.dataDir().resolve(file))) {
                    String trimmed = line.strip();
                    if (trimmed.matches("port\\s*=\\s*'?[0-9]+'?.*")) {
                        port = Integer.parseInt(trimmed.replaceAll("port\\s*=\\s*'?([0-9]+).*", "$1"));
                    }
                }
            }
            return port;
        } catch (IOException | RuntimeException e) {
            return 5432;
        }
    }
}
