package dev.cellar.app;

import dev.cellar.config.ConfigKey;
import dev.cellar.config.RecoverConfig;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.DamagedManifest;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.verify.CopiesVerifier;
import dev.cellar.verify.CopyReport;
import dev.cellar.verify.RepositoryVerifier;
import dev.cellar.verify.RestoreTest;
import dev.cellar.verify.RestoreTestOptions;
import dev.cellar.verify.RestoreTestReport;
import dev.cellar.verify.VerifyReport;
import dev.cellar.verify.WalArchiveReport;
import dev.cellar.verify.WalArchiveVerifier;
import dev.cellar.wal.WalArchive;
import java.util.ArrayList;
import java.util.List;

/**
 * Every kind of verification: the backups' objects re-read and authenticated, the WAL archive,
 * each copy apart (with repair from another copy), and a restore test into a scratch database.
 *
 * <p>For the daemon: the weekly job calls {@link #verifyBackups} with {@code all} (or
 * {@link #verifyCopies} when several copies are configured), then {@link #verifyWal}, then
 * {@link #restoreTest} per database. Reads take no lock; a repair and a restore test take the
 * repository lock and wait for it up to the context's lock wait. A restore test needs the
 * database password (may prompt through the context's prompter) and creates and drops a scratch
 * database. Progress goes to the listener given. One service per job; not thread-safe.
 */
public final class VerifyService {
    private final CellarContext context;
    private Repository repository;

    public VerifyService(CellarContext context) {
        this.context = context;
    }

    /**
     * Every copy's verdict (several repositories).
     *
     * @param auditRepaired with repair: what was done to make the audit trail one across the copies; null without
     */
    public record CopiesReport(List<CopyReport> copies, boolean ok, AuditLog.JoinResult auditRepaired) {
    }

    /** Backups and WAL archive checked together (--all). */
    public record CompleteReport(VerifyReport backups, WalArchiveReport wal) {
    }

    /** Unlocks the repository (reads the secret, may prompt); the other calls do it when first needed. */
    public Repository unlock() {
        if (repository == null) {
            repository = context.openRepository();
        }
        return repository;
    }

    /** Whether several copies are configured, so {@link #verifyCopies} is the verification to run. */
    public boolean severalCopies() {
        return context.config().requireRepositories().size() > 1;
    }

    /** Fails with USAGE when a repair has nothing to repair from: one copy, and a storage that keeps no versions. */
    public void requireSomewhereToRepairFrom() {
        unlock();
        if (!severalCopies() && !context.storage().versioned()) {
            throw new CellarException(ErrorCode.USAGE, "--repair copies objects between copies of the repository, or brings back hidden"
                    + " versions in a versioned bucket, and " + context.storage().describe() + " is the only copy and keeps no versions",
                    "list the copies under repositories: (see docs/multiple-repositories.md), or restore the damaged objects by other means");
        }
    }

    /** Restores one backup (an id or 'latest') into a scratch database, compares it with its manifest, and drops it. */
    public RestoreTestReport restoreTest(String idOrLatest, String maintenanceDatabase, int workers, ProgressListener progress) {
        Repository unlocked = unlock();
        return new RestoreTest(unlocked, context.database().withDatabase(maintenanceDatabase),
                new RestoreTestOptions(workers, context.config().backup().workDir(), context.config().postgres().binDir(), context.lockWait()),
                progress).run(idOrLatest, context.backupSubject());
    }

    /**
     * What a test restore on the staging server found, and which server it was.
     *
     * @param server the staging server, as "staging server host:port"
     */
    public record StagingRestoreTestReport(String server, RestoreTestReport report) {
    }

    /**
     * As {@link #restoreTest}, into a scratch database on the staging server of verify.staging.host
     * instead of the production server: the weekly test restore of the seed, which loads nothing
     * on production.
     */
    public StagingRestoreTestReport restoreTestOnStaging(String idOrLatest, int workers, ProgressListener progress) {
        RecoverConfig.Staging staging = context.config().recover().staging();
        if (staging == null) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "--on-staging needs a staging server, and "
                    + ConfigKey.VERIFY_STAGING_HOST.dotted() + " is not set",
                    "set verify.staging.host (and .port, .user, .password-file) in cellar.yaml, see docs/verify.md");
        }
        Repository unlocked = unlock();
        PgConnectionSpec server = StagingServer.connection(staging);
        StagingServer.requireReachable(staging, server);
        RestoreTestReport report = new RestoreTest(unlocked, server,
                new RestoreTestOptions(workers, context.config().backup().workDir(), context.config().postgres().binDir(), context.lockWait()),
                progress).run(idOrLatest, context.backupSubject());
        return new StagingRestoreTestReport(staging.describe(), report);
    }

    /** The WAL archive: every file authenticated, no gap inside a timeline, every physical backup's WAL present. */
    public WalArchiveReport verifyWal(int workers, ProgressListener progress) {
        Repository unlocked = unlock();
        return new WalArchiveVerifier(unlocked, new WalArchive(unlocked, context.config().wal().compressionLevel())).verify(workers, progress);
    }

    /**
     * The backups' objects, re-read and authenticated; with {@code all} every backup and the
     * repository's own records; with {@code repairHidden} the hidden versions made current again.
     *
     * @param ids backup ids or 'latest'; none means 'latest' (ignored with {@code all})
     */
    public VerifyReport verifyBackups(List<String> ids, boolean all, boolean repairHidden, int workers, ProgressListener progress) {
        Repository unlocked = unlock();
        List<String> selected = all ? List.of() : selectedIds(ids);
        RepositoryVerifier verifier = new RepositoryVerifier(unlocked);
        return repairHidden ? verifier.repairHidden(selected, workers, progress) : verifier.verify(selected, workers, progress);
    }

    /**
     * Each copy on its own; with {@code repair}, what one copy lacks or holds damaged is copied from another.
     *
     * @param ids     as for {@link #verifyBackups}; ignored with {@code all} or {@code onlyWal}
     * @param withWal whether the WAL archive of each copy is verified too
     */
    public CopiesReport verifyCopies(List<String> ids, boolean all, boolean onlyWal, boolean withWal, boolean repair, int workers,
            ProgressListener progress) {
        Repository unlocked = unlock();
        List<String> selected = all || onlyWal ? List.of() : selectedIds(ids);
        List<CopiesVerifier.Copy> copies = context.config().requireRepositories().stream()
                .map(t -> new CopiesVerifier.Copy(t.name(), context.storageOf(t))).toList();
        List<String> verified = context.repositoryTargets().stream().map(RepositoryTarget::name).toList();
        CopiesVerifier verifier = new CopiesVerifier(unlocked, copies);
        AuditLog.JoinResult auditRepaired = repair ? verifier.repairAuditTrail() : null;
        List<CopyReport> reports = verifier.verify(verified, selected, withWal, repair, workers, progress);
        return new CopiesReport(reports, reports.stream().allMatch(CopyReport::ok), auditRepaired);
    }

    /**
     * The ids asked for, each 'latest' (and no id at all) made the newest backup of the database
     * in question. Damaged manifests passed over on the way are verified too: to verify, a
     * damaged manifest that may have been the latest backup is a finding, not something to skip.
     */
    private List<String> selectedIds(List<String> ids) {
        BackupCatalog catalog = new BackupCatalog(repository);
        List<String> asked = ids.isEmpty() ? List.of(BackupCatalog.LATEST) : ids;
        List<String> selected = new ArrayList<>();
        for (String id : asked) {
            selected.add(BackupCatalog.LATEST.equalsIgnoreCase(id) ? catalog.resolve(id, null, context.backupSubject()).id() : id);
        }
        List<DamagedManifest> skipped = repository.notices().summary().damagedManifestsSkipped();
        if (skipped != null) {
            skipped.forEach(d -> selected.add(d.id()));
        }
        return selected.stream().distinct().sorted().toList();
    }
}
