package dev.cellar.app;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.restore.CellarProgram;
import dev.cellar.restore.PitrOptions;
import dev.cellar.restore.PitrRestore;
import dev.cellar.restore.PitrResult;
import dev.cellar.restore.RecoveryTarget;
import dev.cellar.wal.WalArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Restores a physical backup into a data directory and recovers it to a point in time from the
 * WAL archive (optionally starting the server and waiting for recovery to end).
 *
 * <p>For the daemon: never a scheduled job (it writes a data directory). Reads the repository
 * secret and the database password (may prompt through the context's prompter); takes the
 * repository lock for reading, without waiting for it. With {@code start} it blocks until recovery ends or the time-out passes.
 * Progress goes to the listener given.
 */
public final class PitrRestoreService {
    private final CellarContext context;

    public PitrRestoreService(CellarContext context) {
        this.context = context;
    }

    /**
     * What to restore, where, and to which point.
     *
     * @param backupId        the backup to start from, or null to let the target choose
     * @param tablespaceRemap tablespace oid to the folder it is restored into
     * @param thawFor         with an archive storage class: start the thaw, keep thawed copies this long, and stop; else null
     * @param cellarCommand   how PostgreSQL's restore_command calls Cellar back
     */
    public record Request(Path dataDir, boolean force, String backupId, RecoveryTarget target, boolean start, Integer port,
                          boolean archiveModeOff, Map<Long, Path> tablespaceRemap, int jobs, Duration timeout, Duration thawFor,
                          CellarProgram cellarCommand) {
    }

    public PitrResult restore(Request request, ProgressListener progress) {
        CellarConfig config = context.config();
        Repository repository = context.openRepository();
        PitrOptions options = new PitrOptions(request.dataDir().toAbsolutePath().normalize(), request.force(), request.backupId(),
                request.target(), request.start(), request.port(), request.archiveModeOff(), config.wal().spoolPath().toAbsolutePath(),
                request.tablespaceRemap(), request.jobs(), request.cellarCommand(), context.database(), request.timeout(),
                config.postgres().binDir(), request.thawFor(), localRepositoryFolder(config));
        return new PitrRestore(repository, new WalArchive(repository, config.wal().compressionLevel()), options, progress).run();
    }

    /** The repository's folder when it is a single one on a local disk (the restore's spool must stay out of it). */
    private static Path localRepositoryFolder(CellarConfig config) {
        List<RepositoryTarget> targets = config.requireRepositories();
        return targets.size() == 1 && !targets.get(0).isS3() ? targets.get(0).path() : null;
    }
}
