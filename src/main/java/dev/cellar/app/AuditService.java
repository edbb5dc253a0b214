package dev.cellar.app;

import dev.cellar.error.CellarException;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.Repository;

/**
 * Reads the repository's audit trail and checks its hash chain against the newest record a
 * backup's manifest refers to (so a trail cut short after a backup is caught).
 *
 * <p>For the daemon: reads only (no lock, never blocks on the repository lock); may prompt only
 * through the context's secret prompter when it opens the repository.
 */
public final class AuditService {
    private final CellarContext context;

    public AuditService(CellarContext context) {
        this.context = context;
    }

    /** The whole trail, with whether its chain is intact and the branches written apart. */
    public AuditLog.AuditReport read() {
        Repository repository = context.openRepository();
        long highest = 0;
        for (String id : repository.manifests().ids()) {
            try {
                highest = Math.max(highest, repository.manifests().load(id).auditSequence());
            } catch (CellarException unreadable) {
                // verify reports damaged manifests; the audit check uses what it can read
            }
        }
        return repository.audit().read(highest);
    }
}
