package dev.cellar.app;

import dev.cellar.backup.BackupResult;
import dev.cellar.backup.ClusterBackup;
import dev.cellar.backup.ClusterBackupResult;
import dev.cellar.backup.DumpSource;
import dev.cellar.backup.LogicalBackup;
import dev.cellar.backup.LogicalBackupOptions;
import dev.cellar.config.BackupConfig;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.WormPolicy;

/**
 * Backs up one database with pg_dump, or every database of the cluster with its roles and
 * tablespaces ({@code backup logical --all}).
 *
 * <p>For the daemon (the daily full): {@link #prepare()} first, then one of the backups. Reads the
 * repository secret and the database password (may prompt through the context's prompter), then
 * unlocks the repository while it checks the database and pg_dump; a failed check is recorded in
 * the audit trail. The backup takes the repository lock shared and waits for it up to the
 * context's lock wait. Progress goes to the listener given; copies a write could not reach are
 * in {@link CellarContext#copiesBehind()} afterwards.
 */
public final class LogicalBackupService {
    private final CellarContext context;
    private CellarContext.Unlocked<DumpSource> unlocked;

    public LogicalBackupService(CellarContext context) {
        this.context = context;
    }

    /** Unlocks the repository while checking the database side; every backup call does it when not done yet. */
    public void prepare() {
        if (unlocked == null) {
            unlocked = context.openRepositoryWhile(db -> DumpSource.prepare(db, context.config().postgres().binDir()),
                    LogicalBackup::auditFailedStart);
        }
    }

    /** The database the context names. */
    public BackupResult backupDatabase(Integer compressionLevel, int jobs, ProgressListener progress) {
        prepare();
        return new LogicalBackup(unlocked.repository(), unlocked.checked(), options(compressionLevel, jobs), progress).run();
    }

    /** Every database of the cluster, and its globals once; a database that fails does not stop the others. */
    public ClusterBackupResult backupCluster(Integer compressionLevel, int jobs, ProgressListener progress) {
        prepare();
        return new ClusterBackup(unlocked.repository(), unlocked.checked(), options(compressionLevel, jobs), progress).run();
    }

    private LogicalBackupOptions options(Integer compressionLevel, int jobs) {
        BackupConfig config = context.config().backup();
        return new LogicalBackupOptions(compressionLevel != null ? compressionLevel : config.compressionLevel(),
                jobs, context.config().postgres().binDir(), context.lockWait(), new WormPolicy(context.config().worm()));
    }
}
