package dev.cellar.drill;

import dev.cellar.drill.check.CheckReport;
import dev.cellar.drill.check.CheckResult;
import dev.cellar.drill.check.CheckTarget;
import dev.cellar.drill.check.QueryTiming;
import dev.cellar.drill.check.RestoredCopyChecks;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.BackupSubject;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.report.ReportStore;
import dev.cellar.restore.LogicalRestore;
import dev.cellar.restore.LogicalRestoreOptions;
import dev.cellar.restore.PitrResult;
import dev.cellar.restore.RecoveryTarget;
import dev.cellar.verify.ScratchDatabase;
import dev.cellar.wal.WalArchive;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code cellar drill}: a disaster rehearsal on the drill host. Marks a disaster moment in the
 * source, restores the latest logical backup into a scratch database and the physical backup +
 * WAL into scratch clusters (to the drill's restore point, then to the latest), checks each
 * copy, measures RTO and RPO, judges them against the objectives, stores the report in the
 * repository and audits it. A restore that fails fails the drill, it does not abort it: clean-up
 * and the report happen whatever went wrong (docs/drills.md).
 */
public final class Drill {
    public static final String AUDIT_OPERATION = "drill";
    static final String LOGICAL = "logical";
    static final String AT_RESTORE_POINT = "physical at restore point";
    static final String LATEST = "physical latest";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Restores the physical backup + WAL into {@code dataDir} up to {@code target}, starts it on {@code port} with archiving off. */
    public interface PhysicalRestorer {
        PitrResult restore(Path dataDir, RecoveryTarget target, int port);
    }

    private final Repository repository;
    private final PgConnectionSpec source;
    private final PhysicalRestorer physicalRestorer;
    private final DrillOptions options;
    private final ProgressListener progress;
    private final List<DrillPhase> phases = new ArrayList<>();
    /** What an interrupt must undo: scratch data directories whose server may run, scratch databases. */
    private final Set<Path> scratchDirs = ConcurrentHashMap.newKeySet();
    private final Set<ScratchDatabase> scratchDatabases = ConcurrentHashMap.newKeySet();
    /** Scratch folders clean-up could not delete: each holds a restored copy of the data and fails the drill. */
    private final List<String> leftBehind = java.util.Collections.synchronizedList(new ArrayList<>());

    /** @param source the database drilled (markers are written there; the scratch database goes on its server) */
    public Drill(Repository repository, PgConnectionSpec source, PhysicalRestorer physicalRestorer, DrillOptions options, ProgressListener progress) {
        this.repository = repository;
        this.source = source;
        this.physicalRestorer = physicalRestorer;
        this.options = options;
        this.progress = progress;
    }

    public DrillReport run() {
        Instant started = repository.clock().instant();
        String id = dev.cellar.repo.BackupId.next(started);
        Thread onSignal = new Thread(this::cleanUpAll, "drill-interrupted");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            DrillReport report = drill(id, started);
            store(report);
            return report;
        } finally {
            cleanUpAll();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran
            }
        }
    }

    private DrillReport drill(String id, Instant started) {
        List<BackupManifest> backups = new BackupCatalog(repository).all();
        BackupManifest logical = latest(backups, BackupManifest.KIND_LOGICAL, source.database());
        boolean physical = options.physical() && backups.stream().anyMatch(BackupManifest::isPhysical);
        List<RestoredCopy> copies = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        DrillMarkers markers = new DrillMarkers(source, id);
        Instant disaster = null;
        WalFrontier frontier = null;
        RpoMeasure rpo = null;
        // 1. The disaster moment: the restore point reaches the archive, then the heartbeat; its last commit is D.
        if (physical) {
            try {
                Instant t = now();
                DrillMarkers.RestorePoint point = markers.writeRestorePoint();
                awaitArchived(point);
                phase("source", "restore point archived", t);
                t = now();
                progress.progress("heartbeat on the source for " + ObjectiveDuration.format(options.rpoWindow()), 0, 0);
                Disaster at = markers.heartbeatUntil(options.rpoWindow(), DrillOptions.HEARTBEAT_INTERVAL,
                        () -> disasterNow(markers, point));
                disaster = at.moment();
                frontier = at.frontier();
                phase("source", "heartbeat", t);
            } catch (RuntimeException e) {
                failures.add("source: the drill could not mark its restore point or read what the archive held at the disaster moment: " + e.getMessage());
                physical = false;
            }
        }
        // A hole in the archived WAL ends recovery to the latest early without an error: name it first.
        if (physical) {
            walGap(backups).ifPresent(gap -> failures.add("WAL: " + gap.describe()));
        }
        // 2. The copies.
        if (options.logical() && logical != null) {
            copies.add(logicalCopy(logical));
        }
        if (physical) {
            copies.add(physicalCopy(AT_RESTORE_POINT, RecoveryTarget.name(markers.restorePoint(), "latest", "promote"), markers, null));
            RpoMeasure[] measured = new RpoMeasure[1];
            Instant d = disaster;
            // what the archive held at the disaster moment, not what reached it since (the drill's own restores write WAL too)
            RecoveryTarget latest = frontier == null ? RecoveryTarget.latest("latest", "promote")
                    : RecoveryTarget.lsn(frontier.lsn(), true, "latest", "promote");
            copies.add(physicalCopy(LATEST, latest, markers, (c, r) -> measured[0] = rpoOf(c, r, markers, d)));
            rpo = measured[0] == null ? RpoMeasure.of(disaster, null, null, null) : measured[0];
            rpo = rpo.recoveredTo(frontier);
        }
        if (copies.isEmpty()) {
            failures.add("nothing to restore: the repository holds no " + (options.logical() && options.physical() ? "logical or physical"
                    : options.logical() ? "logical" : "physical") + " backup of " + source.database());
        }
        failures.addAll(DrillReport.copyFailures(copies));
        failures.addAll(leftBehind);
        Duration rto = copies.stream().map(RestoredCopy::rto).max(Duration::compareTo).orElse(null);
        List<ObjectiveVerdict> verdicts = ObjectiveJudge.verdicts(options.objectives(), rto, rpo);
        failures.addAll(ObjectiveJudge.failures(verdicts, rpo));
        return new DrillReport(id, source.database(), started, now(), disaster, phases, copies, rto, rpo, options.objectives(), verdicts, failures);
    }

    private RestoredCopy logicalCopy(BackupManifest manifest) {
        Instant copyStarted = now();
        List<CheckResult> checks = List.of();
        List<QueryTiming> timings = List.of();
        String failure = null;
        Duration rto;
        ScratchDatabase scratch = ScratchDatabase.reserve(source.withDatabase("postgres"), RANDOM);
        scratchDatabases.add(scratch);
        Path folder = null;
        try {
            // pg_restore's log is kept after a failure: in a folder of the drill's own, so clean-up takes it too
            folder = newScratchFolder();
            Instant t = now();
            progress.progress("restoring logical backup " + manifest.id() + " into " + scratch.name(), 0, 0);
            new LogicalRestore(repository, source.withDatabase("postgres"), new LogicalRestoreOptions(scratch.name(), List.of(), false, true,
                    options.jobs(), folder, options.binDir(), options.lockWait()), progress).run(manifest.id());
            phase(LOGICAL, "restore", t);
            t = now();
            CheckReport report = checks().runAll(new CheckTarget(scratch.connection(), source, manifest.tables(), options.binDir(),
                    source.database()));
            checks = report.results();
            timings = report.timings();
            phase(LOGICAL, "checks", t);
        } catch (RuntimeException e) {
            failure = "the restore of logical backup " + manifest.id() + " failed: " + e.getMessage();
        } finally {
            rto = Duration.between(copyStarted, now());
            Instant t = now();
            dropQuietly(scratch);
            if (folder != null) {
                deleteTree(folder);
                scratchDirs.remove(folder);
            }
            phase(LOGICAL, "clean-up", t);
        }
        return new RestoredCopy(LOGICAL, manifest.id(), "the backup's snapshot (" + manifest.finishedAt() + ")", copyStarted, rto, checks,
                timings, failure);
    }

    private RestoredCopyChecks checks() {
        return options.checkSet() == null ? new RestoredCopyChecks() : new RestoredCopyChecks(options.checkSet());
    }

    /** What a copy recovered to the latest point tells about the RPO, read while its server runs. */
    private interface WhileRunning {
        void read(Connection restored, PitrResult result) throws SQLException;
    }

    private RestoredCopy physicalCopy(String name, RecoveryTarget target, DrillMarkers markers, WhileRunning extra) {
        Instant copyStarted = now();
        List<CheckResult> checks = new ArrayList<>();
        List<QueryTiming> timings = List.of();
        String failure = null;
        String backupId = null;
        Path dataDir = null;
        Duration rto;
        try {
            dataDir = newScratchDir();
            int port = freePort();
            progress.progress("restoring the physical backup to " + target.describe() + " into " + dataDir, 0, 0);
            PitrResult result = physicalRestorer.restore(dataDir, target, port);
            backupId = result.backupId();
            Duration replay = result.recoveryDuration() == null ? Duration.ZERO : result.recoveryDuration();
            Duration files = result.duration().minus(replay);
            phase(name, "fetch + restore files", copyStarted, files);
            phase(name, "WAL replay", copyStarted.plus(files), replay);
            Instant t = now();
            PgConnectionSpec restored = new PgConnectionSpec("127.0.0.1", port, source.user(), source.database(), source.password());
            CheckReport report = checks().runAll(new CheckTarget(restored, source, List.of(), options.binDir(), source.database()));
            checks.addAll(report.results());
            timings = report.timings();
            try (Connection c = restored.connect()) {
                if (extra == null) {
                    checks.add(markers.checkAtRestorePoint(c));
                } else {
                    extra.read(c, result);
                }
            } catch (SQLException e) {
                throw restored.unreachable(e);
            }
            phase(name, "checks", t);
        } catch (RuntimeException e) {
            failure = "the restore to " + target.describe() + " failed: " + e.getMessage();
        } finally {
            rto = Duration.between(copyStarted, now());
            if (dataDir != null) {
                Instant t = now();
                removeScratchDir(dataDir);
                phase(name, "clean-up", t);
            }
        }
        return new RestoredCopy(name, backupId, target.describe(), copyStarted, rto, checks, timings, failure);
    }

    private RpoMeasure rpoOf(Connection restored, PitrResult result, DrillMarkers markers, Instant disaster) throws SQLException {
        Map<String, Instant> newest = markers.newestIn(restored);
        Instant marker = newest.values().stream().max(Instant::compareTo).orElse(null);
        Instant replayed = null;
        try (Statement st = restored.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_last_xact_replay_timestamp()")) {
            if (rs.next() && rs.getTimestamp(1) != null) {
                replayed = rs.getTimestamp(1).toInstant();
            }
        }
        return RpoMeasure.of(disaster, newest.get(DrillMarkers.HEARTBEAT), marker, replayed != null ? replayed : result.lastReplayedCommit());
    }

    /** The disaster moment and what the archive held then. */
    private record Disaster(Instant moment, WalFrontier frontier) {
    }

    /**
     * Reads what the archive holds while the heartbeat still beats; the disaster moment is when that
     * read ended (the source's clock), so every commit the read saw was in the archive by then.
     * Finding the newest commit in what was read comes after: its time is no part of the RPO.
     */
    private Disaster disasterNow(DrillMarkers markers, DrillMarkers.RestorePoint point) {
        WalArchive archive = new WalArchive(repository, 3);
        WalFrontier.Fetched fetched = WalFrontier.fetch(archive, dev.cellar.wal.WalFileName.parse(point.walFile()), markers.walSegmentSize());
        Instant moment = markers.serverNow();
        return new Disaster(moment, WalFrontier.of(archive, fetched));
    }

    /** The first segment missing after the newest physical backup's start, read from the archive as it is now. */
    private java.util.Optional<WalGap> walGap(List<BackupManifest> backups) {
        BackupManifest newest = backups.stream().filter(BackupManifest::isPhysical)
                .max(java.util.Comparator.comparing(BackupManifest::finishedAt)).orElse(null);
        if (newest == null) {
            return java.util.Optional.empty();
        }
        dev.cellar.repo.PhysicalInfo info = newest.physical();
        return WalGap.find(dev.cellar.wal.WalFileName.parse(info.startWal()), new WalArchive(repository, 3).list(), info.walSegmentSize());
    }

    /** Waits until the archive holds the restore point's segment, so recovery to it can succeed. */
    private void awaitArchived(DrillMarkers.RestorePoint point) {
        WalArchive archive = new WalArchive(repository, 3);
        long deadline = System.nanoTime() + options.walWait().toNanos();
        dev.cellar.wal.WalFileName segment = dev.cellar.wal.WalFileName.parse(point.walFile());
        while (!archive.contains(segment)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the WAL segment " + point.walFile() + " holding the drill's restore point " + point.lsn()
                        + " did not reach the archive within " + ObjectiveDuration.format(options.walWait())
                        + " (drill.wal-wait): check archive_command and 'cellar wal' on the source");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("drill interrupted while waiting for the archive", e);
            }
        }
    }

    private void store(DrillReport report) {
        ReportStore store = ReportStore.of(repository);
        List<DrillSummary> previous = new ArrayList<>();
        for (String earlier : store.ids(ReportStore.DRILL)) {
            try {
                DrillSummary summary = dev.cellar.repo.RepositoryJson.read(store.read(ReportStore.DRILL, earlier, DrillSummary.FILE), DrillSummary.class);
                if (summary.database().equals(report.database())) {
                    previous.add(summary);
                }
            } catch (IOException | RuntimeException unreadable) {
                // an incomplete or damaged earlier report leaves a gap in the trend, nothing more
            }
        }
        store.put(ReportStore.DRILL, report.id(), DrillReportRenderer.files(report, previous));
        Duration took = Duration.between(report.started(), report.finished());
        repository.audit().append(AUDIT_OPERATION, report.database(), report.passed() ? AuditRecord.OK : AuditRecord.FAILED, report.verdictLine(), 0, took);
    }

    private static BackupManifest latest(List<BackupManifest> backups, String kind, String database) {
        BackupManifest newest = null;
        for (BackupManifest manifest : backups) {
            if (kind.equals(manifest.kind()) && database.equals(manifest.database()) && (newest == null || manifest.finishedAt().isAfter(newest.finishedAt()))) {
                newest = manifest;
            }
        }
        return newest;
    }

    private Path newScratchDir() {
        return newScratchFolder().resolve("data");
    }

    private Path newScratchFolder() {
        try {
            Files.createDirectories(options.workDir());
            Path dir = Files.createTempDirectory(options.workDir(), "cellar-drill-");
            scratchDirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a scratch folder in " + options.workDir() + " (drill.work-dir): " + e.getMessage(), e);
        }
    }

    /** Stops the scratch server (fast, then immediate) and deletes its folder. */
    private void removeScratchDir(Path dataDir) {
        Path folder = dataDir.getParent();
        stopServer(dataDir);
        deleteTree(folder);
        scratchDirs.remove(folder);
        if (Files.exists(folder)) {
            String problem = "clean-up: the scratch folder " + folder + " could not be deleted; it holds a restored copy of the data: "
                    + "stop any server on it (pg_ctl stop -D " + dataDir + ") and delete it by hand";
            leftBehind.add(problem);
            progress.progress("warning: " + problem, 0, 0);
        }
    }

    private void stopServer(Path dataDir) {
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        PgBinaries bins = PgBinaries.locate(options.binDir());
        try {
            LocalCluster.stopServer(bins, dataDir, "fast");
        } catch (RuntimeException e) {
            try {
                LocalCluster.stopServer(bins, dataDir, "immediate");
            } catch (RuntimeException ignored) {
                // the folder is deleted anyway; a server without its data directory stops on its own
            }
        }
    }

    /** Whatever is still there (an interrupt, or a failure in clean-up itself): stop, delete, drop. */
    private void cleanUpAll() {
        for (Path folder : List.copyOf(scratchDirs)) {
            removeScratchDir(folder.resolve("data"));
        }
        for (ScratchDatabase scratch : List.copyOf(scratchDatabases)) {
            dropQuietly(scratch);
        }
    }

    private void dropQuietly(ScratchDatabase scratch) {
        try {
            scratch.close();
            scratchDatabases.remove(scratch);
        } catch (RuntimeException e) {
            progress.progress("warning: " + e.getMessage(), 0, 0);
        }
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // what cannot be deleted is left; the clean-up test would see it
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // as above
        }
    }

    private void phase(String copy, String name, Instant start) {
        phase(copy, name, start, Duration.between(start, now()));
    }

    private synchronized void phase(String copy, String name, Instant start, Duration duration) {
        phases.add(new DrillPhase(copy, name, start, duration.isNegative() ? Duration.ZERO : duration));
    }

    private Instant now() {
        return repository.clock().instant();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port for the scratch cluster: " + e.getMessage(), e);
        }
    }

    /** For a test: the backup subject a drill of {@code database} restores. */
    static BackupSubject subjectOf(String database) {
        return BackupSubject.database(database);
    }
}
