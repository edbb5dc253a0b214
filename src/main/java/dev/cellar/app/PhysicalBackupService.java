package dev.cellar.app;

import dev.cellar.backup.PhysicalBackup;
import dev.cellar.backup.PhysicalBackupOptions;
import dev.cellar.backup.PhysicalBackupResult;
import dev.cellar.config.CellarConfig;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.WormPolicy;
import java.nio.file.Path;

/**
 * Backs up the whole cluster's data directory (full, or incremental on the newest physical
 * backup of the cluster), with the WAL that makes it restorable on its own.
 *
 * <p>For the daemon (the hourly incremental): must run on the database host; takes the repository
 * lock shared and waits for it up to the context's lock wait; reads the database password (may
 * prompt through the context's prompter). Pages with bad checksums do not fail the backup: they
 * are in the result ({@code badPages}), for the caller to warn about. Progress goes to the listener given.
 */
public final class PhysicalBackupService {
    private final CellarContext context;

    public PhysicalBackupService(CellarContext context) {
        this.context = context;
    }

    /**
     * @param dataDir          the data directory; null for postgres.data-dir, else what the server reports
     * @param jobs             files read in parallel
     * @param compressionLevel zstd level for data blocks; null for the default
     */
    public PhysicalBackupResult backup(boolean incremental, Path dataDir, int jobs, Integer compressionLevel, ProgressListener progress) {
        CellarConfig config = context.config();
        Repository repository = context.openRepository();
        PhysicalBackupOptions options = new PhysicalBackupOptions(incremental, dataDir != null ? dataDir : config.postgres().dataDir(),
                jobs, compressionLevel != null ? compressionLevel : PhysicalBackupOptions.DEFAULT_COMPRESSION_LEVEL,
                config.wal().compressionLevel(), context.lockWait(), new WormPolicy(config.worm()));
        return new PhysicalBackup(repository, context.database(), options, progress).run();
    }
}
