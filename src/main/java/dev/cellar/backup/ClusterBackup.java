package dev.cellar.backup;

import dev.cellar.error.CellarException;
import dev.cellar.globals.ClusterGlobals;
import dev.cellar.globals.GlobalsCapture;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import java.util.ArrayList;
import java.util.List;

/**
 * A logical backup of a whole cluster ({@code backup logical --all}): the cluster's globals once,
 * then every database that accepts connections (not template0/template1), each as its own backup
 * with its own manifest, all sharing the run's id and its globals. A database that fails is
 * reported and the others are still backed up.
 */
public final class ClusterBackup {
    private final Repository repository;
    private final DumpSource cluster;
    private final LogicalBackupOptions options;
    private final ProgressListener progress;

    /** @param cluster any database of the cluster, checked: where the databases are listed and the globals taken */
    public ClusterBackup(Repository repository, DumpSource cluster, LogicalBackupOptions options, ProgressListener progress) {
        this.repository = repository;
        this.cluster = cluster;
        this.options = options;
        this.progress = progress;
    }

    public ClusterBackupResult run() {
        // 1. The globals and the list of databases, once for the run.
        ClusterGlobals globals = GlobalsCapture.take(cluster.database(), cluster.server(), cluster.binaries(), repository.clock());
        ClusterRun run = new ClusterRun(BackupId.next(repository.clock().instant()), globals);
        // 2. Each database as its own backup; one failing does not stop the others.
        List<ClusterBackupResult.DatabaseOutcome> outcomes = new ArrayList<>();
        for (String database : globals.databases()) {
            DumpSource source = new DumpSource(cluster.database().withDatabase(database), cluster.server(), cluster.binaries(),
                    cluster.pgDumpVersion());
            try {
                BackupResult result = new LogicalBackup(repository, source, options, progress, run).run();
                outcomes.add(new ClusterBackupResult.DatabaseOutcome(database, result, null, null));
            } catch (CellarException e) {
                outcomes.add(new ClusterBackupResult.DatabaseOutcome(database, null,
                        e.getMessage() + (e.hint() == null ? "" : " (HINT: " + e.hint() + ")"), e.code().exitCode()));
            }
        }
        return new ClusterBackupResult(run.id(), globals.rolePasswords(), outcomes);
    }
}
