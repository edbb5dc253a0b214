package dev.cellar.app;

import dev.cellar.config.RepositoryTarget;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.sync.CopiesSync;
import dev.cellar.sync.SyncResult;
import java.util.List;

/**
 * Gives each configured copy what another copy holds (backups, WAL, the audit trail joined across
 * them), or, dry, says what it would copy.
 *
 * <p>For the daemon: run it when a copy is behind. It takes the repository lock shared on the
 * source and the target copy and waits for it up to the context's lock wait. A copy that cannot
 * be reached is left out (listed in the result); progress goes to the listener given. May prompt
 * only through the context's secret prompter.
 */
public final class RepoSyncService {
    private final CellarContext context;

    public RepoSyncService(CellarContext context) {
        this.context = context;
    }

    /**
     * @param from the copy read from, or null for every copy
     * @param to   the copies written to; empty for every copy
     * @param jobs objects copied in parallel
     */
    public SyncResult sync(String from, List<String> to, boolean dryRun, int jobs, ProgressListener progress) {
        List<RepositoryTarget> all = context.config().requireRepositories();
        if (all.size() < 2) {
            throw new CellarException(ErrorCode.USAGE, "repo sync needs at least two copies configured under repositories:");
        }
        List<String> sources = from == null ? List.of() : List.of(context.config().repositoryNamed(from).name());
        List<String> targets = to.stream().map(name -> context.config().repositoryNamed(name).name()).toList();
        if (!sources.isEmpty() && !targets.isEmpty() && targets.equals(sources)) {
            throw new CellarException(ErrorCode.USAGE, "repo sync copies from one copy to others; --to must name copies other than '"
                    + from + "'");
        }
        Repository opened = context.openRepository();
        List<CopiesSync.Copy> copies = all.stream().map(t -> new CopiesSync.Copy(t.name(), context.storageOf(t), t.retention())).toList();
        return new CopiesSync(opened, copies, context.mirrorWarnings(), jobs).sync(sources, targets, dryRun, context.lockWait(), progress);
    }
}
