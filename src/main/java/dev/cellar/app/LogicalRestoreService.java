package dev.cellar.app;

import dev.cellar.config.CellarConfig;
import dev.cellar.lifecycle.erasure.LedgerErasureReapplier;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ProgressListener;
import dev.cellar.restore.LogicalRestore;
import dev.cellar.restore.LogicalRestoreOptions;
import dev.cellar.restore.RestoreResult;
import dev.cellar.restore.RestoreTarget;
import dev.cellar.restore.ServerRestore;
import dev.cellar.restore.ServerRestoreResult;
import java.util.List;

/**
 * Restores a logical backup into a database (whole, or some tables), or every database of a
 * {@code backup logical --all} run under its own name with the cluster's globals.
 *
 * <p>For the daemon: a restore test is {@link VerifyService#restoreTest}, not this. Reads the
 * repository secret and the database password (may prompt through the context's prompter), then
 * unlocks the repository while it checks the target server; takes the repository lock for reading
 * and waits for it up to the context's lock wait. Progress goes to the listener given.
 */
public final class LogicalRestoreService {
    private final CellarContext context;

    public LogicalRestoreService(CellarContext context) {
        this.context = context;
    }

    /**
     * What to restore and how.
     *
     * @param id                  a backup id, 'latest', or for a whole server a run id or 'latest'
     * @param maintenanceDatabase the database to connect to on the target server to create others
     */
    public record Request(String id, boolean force, boolean noOwner, int jobs, boolean createRoles, boolean withRolePasswords,
                          String maintenanceDatabase) {
    }

    /** One backup into {@code targetDatabase}; with {@code tables}, only those tables into it. */
    public RestoreResult restoreDatabase(Request request, String targetDatabase, List<String> tables, ProgressListener progress) {
        CellarConfig config = context.config();
        CellarContext.Unlocked<RestoreTarget> unlocked = unlock(request);
        LogicalRestoreOptions options = new LogicalRestoreOptions(targetDatabase, tables, request.force(), request.noOwner(),
                request.jobs(), config.backup().workDir(), config.postgres().binDir(), context.lockWait(), request.createRoles(),
                request.withRolePasswords());
        // 'latest' of the database named, or with none named of the target's name or the repository's only database
        String backupId = new BackupCatalog(unlocked.repository())
                .resolve(request.id(), BackupManifest.KIND_LOGICAL, context.backupSubjectRestoringInto(targetDatabase)).id();
        // the ledger's erasures are re-applied before the database is handed over (docs/gdpr.md)
        return new LogicalRestore(unlocked.repository(), unlocked.checked(), options, progress)
                .reapplyingErasures(new LedgerErasureReapplier()).run(backupId);
    }

    /** Every database of one run, each under its own name, with the cluster's roles and tablespaces. */
    public ServerRestoreResult restoreServer(Request request, ProgressListener progress) {
        CellarConfig config = context.config();
        CellarContext.Unlocked<RestoreTarget> unlocked = unlock(request);
        LogicalRestoreOptions options = new LogicalRestoreOptions(null, List.of(), request.force(), request.noOwner(), request.jobs(),
                config.backup().workDir(), config.postgres().binDir(), context.lockWait(), request.createRoles(), request.withRolePasswords());
        return new ServerRestore(unlocked.repository(), unlocked.checked(), options, progress).run(request.id());
    }

    private CellarContext.Unlocked<RestoreTarget> unlock(Request request) {
        return context.openRepositoryWhile(
                db -> RestoreTarget.prepare(db.withDatabase(request.maintenanceDatabase()), context.config().postgres().binDir()));
    }
}
