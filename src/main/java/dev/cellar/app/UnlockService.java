package dev.cellar.app;

import dev.cellar.repo.LockInfo;
import dev.cellar.repo.Repository;
import java.util.List;

/**
 * Removes repository locks left by processes that died (or, when asked, every lock), and records
 * that it did in the audit trail.
 *
 * <p>For the daemon: never call it on its own initiative with {@code all}: a live lock belongs to
 * a job that is still running (perhaps on another node). Takes no lock itself; may prompt only
 * through the context's secret prompter when it opens the repository.
 */
public final class UnlockService {
    private final CellarContext context;

    public UnlockService(CellarContext context) {
        this.context = context;
    }

    /** The locks removed, and those still held afterwards (alive). */
    public record UnlockResult(List<LockInfo> removed, List<LockInfo> remaining) {
    }

    /** Removes the stale locks, or with {@code all} every lock. */
    public UnlockResult unlock(boolean all) {
        Repository repository = context.openRepository();
        List<LockInfo> removed = all ? repository.locks().breakAll() : repository.locks().breakStale();
        repository.audit().append("unlock", repository.storage().describe(), "ok", removed.size() + " lock(s) removed" + (all ? " (--all)" : ""), 0, null);
        return new UnlockResult(removed, repository.locks().list());
    }
}
