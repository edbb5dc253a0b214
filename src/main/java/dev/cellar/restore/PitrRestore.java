package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.PgVersion;
import dev.cellar.pg.ProcessRunner;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Point-in-time recovery: picks the backup, checks before touching anything that the archive
 * can carry recovery from it to the target, restores the files, writes the recovery settings,
 * and optionally starts PostgreSQL and waits until it reached the target.
 */
public final class PitrRestore {
    private static final int PREFETCH_WINDOW = 16;

    private final Repository repository;
    private final WalArchive archive;
    private final PitrOptions options;
    private final ProgressListener progress;

    public PitrRestore(Repository repository, WalArchive archive, PitrOptions options, ProgressListener progress) {
        this.repository = repository;
        this.archive = archive;
        this.options = options;
        this.progress = progress;
    }

    public PitrResult run() {
        Instant started = repository.clock().instant();
        // one listing of the WAL archive serves the whole restore (on an object store it is many requests)
        List<WalFileName> walFiles = archive.list();
        Set<String> archived = new HashSet<>();
        walFiles.forEach(f -> archived.add(f.name()));
        List<BackupManifest> candidates = candidates(options.target(), archived);
        // A transaction id or restore point cannot be placed before PostgreSQL reads the WAL: if
        // recovery from the newest backup does not meet it, the next older backup is tried.
        boolean retryOlder = options.start() && options.backupId() == null
                && (options.target().kind() == RecoveryTarget.Kind.XID || options.target().kind() == RecoveryTarget.Kind.NAME);
        for (int i = candidates.size() - 1; ; i--) {
            try {
                return restoreFrom(candidates.get(i), started, i < candidates.size() - 1, walFiles, archived);
            } catch (RecoveringServer.TargetNotReachedException e) {
                if (!retryOlder || i == 0) {
                    throw e;
                }
                progress.progress("recovery from backup " + candidates.get(i).id() + " did not meet the target; trying the older backup " + candidates.get(i - 1).id(), 0, 0);
            }
        }
    }

    private PitrResult restoreFrom(BackupManifest backup, Instant started, boolean replaceOwnEarlierAttempt,
                                   List<WalFileName> walFiles, Set<String> archived) {
        RecoveryTarget target = options.target();
        RecoveryChain chain;
        PhysicalFileRestore.Result files;
        try (RepositoryLock.Held lock = repository.locks().acquireForReading("restore pitr", Duration.ZERO)) {
            PhysicalInfo info = backup.physical();
            TimelineHistory history = targetHistory(info.timeline(), archived);
            long segmentSize = info.walSegmentSize();
            chain = RecoveryChain.walk(archived, history, WalFileName.parse(info.startWal()).segmentNumber(segmentSize), segmentSize);
            requireReachable(backup, chain, target);
            requireThawed(chain);
            // a server starts only a data directory of its own major: find it before anything is written
            if (options.start()) {
                serverBinaries(info).requireMajor("pg_ctl", PgVersion.fromServerVersionNum(info.serverVersionNum()),
                        "start the restored backup " + backup.id());
            }
            EmptyDataDirectory.prepare(options.dataDir(), options.force() || replaceOwnEarlierAttempt);
            files = new PhysicalFileRestore(repository).restore(backup, options.dataDir(), options.tablespaceRemap(), options.jobs(), progress);
        }
        PhysicalInfo info = backup.physical();
        Path spool = prepareSpool(backup.id());
        fetchHistoryFiles(spool.resolve("fetched"), walFiles);
        String restoreCommand = RestoreCommandLine.build(options.cellarCommand(), spool);
        Map<String, String> extra = new LinkedHashMap<>();
        if (options.port() != null) {
            extra.put("port", String.valueOf(options.port()));
        }
        if (options.archiveModeOff()) {
            extra.put("archive_mode", "off");
        }
        RecoveryConfig.write(options.dataDir(), restoreCommand, target.settings(), extra, backup.id(), repository.clock().instant());
        Instant lastArchived = chain.isEmpty() ? null : archive.header(chain.last()).archivedAt();
        RecoveringServer.Outcome outcome = null;
        int prefetched = 0;
        if (options.start()) {
            PgBinaries bins = serverBinaries(info);
            int port = options.port() != null ? options.port() : configuredPort();
            PgConnectionSpec connection = new PgConnectionSpec(options.connection().host(), port, options.connection().user(),
                    "postgres", options.connection().password());
            RecoveringServer server = new RecoveringServer(bins, options.dataDir(), connection, serverUser(), repository.clock());
            try (WalPrefetcher prefetcher = new WalPrefetcher(archive, chain.files(), spool.resolve("fetched"), PREFETCH_WINDOW, spoolOwner())) {
                prefetcher.start();
                server.start();
                outcome = server.awaitTarget(target.kind() == RecoveryTarget.Kind.LATEST ? "promote" : target.action(), options.timeout());
                prefetched = prefetcher.fetchedCount();
            }
            if (!"paused at the target".equals(outcome.state())) {
                // recovery is over: restore_command will not run again, and a WAL agent serving
                // this spool stops when it is gone
                deleteQuietly(spool);
            }
        }
        return new PitrResult(backup.id(), info.type(), backup.finishedAt(), target.describe(), target.timeline(),
                options.dataDir(), files.files(), files.bytes(), files.duration(),
                info.startWal(), chain.isEmpty() ? null : chain.last().name(), lastArchived, prefetched, restoreCommand,
                outcome == null ? "not started" : outcome.state(), outcome == null ? null : outcome.replayedLsn(),
                outcome == null ? null : outcome.lastReplayedCommit(), outcome == null ? null : outcome.timeline(),
                outcome == null ? null : outcome.stopMessage(), outcome == null ? null : outcome.recovery(),
                Duration.between(started, repository.clock().instant()), List.of());
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

    /** Every timeline history file, ahead of the server: restore_command answers a missing one at once. */
    private void fetchHistoryFiles(Path fetched, List<WalFileName> walFiles) {
        UserPrincipal owner = spoolOwner();
        for (WalFileName file : walFiles) {
            if (file.kind() == WalFileName.Kind.HISTORY) {
                Path target = fetched.resolve(file.name());
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

    private static void deleteQuietly(Path folder) {
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a leftover spool folder only takes a little disk; the next restore uses a new one
        }
    }

    /** A fresh spool folder for this restore's WAL, which PostgreSQL's user must be able to empty. */
    private Path prepareSpool(String backupId) {
        Path spool = options.spool().resolve("restore-" + backupId + "-" + Long.toHexString(System.nanoTime()));
        try {
            Files.createDirectories(spool.resolve("fetched"));
            Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
            UserPrincipal owner = spoolOwner();
            if (owner != null) {
                Files.setOwner(options.spool(), owner);
                Files.setOwner(spool, owner);
                Files.setOwner(spool.resolve("fetched"), owner);
            }
            return spool;
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot create the WAL spool folder " + spool + ": " + e.getMessage(),
                    "set wal.spool-path to a folder the database's OS user can write");
        }
    }

    /** When running as root, files PostgreSQL must move belong to the data directory's owner. */
    private UserPrincipal spoolOwner() {
        if (!ProcessRunner.runningAsRoot()) {
            return null;
        }
        try {
            return Files.getOwner(options.dataDir());
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
