package dev.cellar.app;

import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;

/**
 * One backup's manifest, by id or 'latest' (of the database the context names, else of the only
 * database the repository holds).
 *
 * <p>For the daemon: reads only (no lock); may prompt only through the context's secret prompter.
 */
public final class ShowService {
    private final CellarContext context;

    public ShowService(CellarContext context) {
        this.context = context;
    }

    public BackupManifest show(String idOrLatest) {
        return new BackupCatalog(context.openRepository()).resolve(idOrLatest, null, context.backupSubject());
    }
}
