package dev.cellar.app;

import dev.cellar.error.CellarException;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.catalog.CatalogIngest;
import dev.cellar.server.catalog.IngestResult;
import dev.cellar.server.catalog.MonitoringView;
import dev.cellar.server.catalog.StatusReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the catalog's backup_log up to date with the repository and reads backup_monitoring:
 * {@code cellar status}, {@code cellar catalog rebuild} and the daemon after each job.
 *
 * <p>Opening the repository reads its secret (may prompt through the context's prompter) and
 * derives the key once for all copies; the ingest takes no repository lock (it only reads).
 */
public final class CatalogService {
    private final CellarContext context;
    private final Catalog catalog;

    public CatalogService(CellarContext context, Catalog catalog) {
        this.context = context;
        this.catalog = catalog;
    }

    /** Adds to backup_log what the repository's audit trail holds beyond it (idempotent). */
    public IngestResult ingest() {
        Sources sources = sources();
        return new CatalogIngest(catalog).ingest(sources.repository(), sources.copies());
    }

    /**
     * What the repository's audit trail looks like from its listing alone (no key derived): changes
     * whenever any operation ran, so a caller can skip an ingest when it did not change.
     */
    public String auditMarker() {
        List<String> records = context.storage().list(RepositoryLayout.AUDIT);
        return records.size() + ":" + (records.isEmpty() ? "" : records.stream().max(String::compareTo).orElseThrow());
    }

    /** Empties backup_log and fills it again from the repository. */
    public IngestResult rebuild() {
        Sources sources = sources();
        return new CatalogIngest(catalog).rebuild(sources.repository(), sources.copies());
    }

    /**
     * backup_monitoring at {@code at} (the catalog's now() when null), for one database or all; with
     * {@code ingestFirst}, brings the catalog up to date first and, when the repository cannot be
     * read, says so in the report (and through the context's warnings) instead of failing.
     */
    public StatusReport status(String database, Instant at, boolean ingestFirst) {
        IngestResult ingest = null;
        String ingestProblem = null;
        if (ingestFirst) {
            try {
                ingest = ingest();
            } catch (CellarException e) {
                ingestProblem = e.getMessage();
                context.warnPartial("the repository was not read, so the newest backups may be missing below: " + e.getMessage(),
                        e.hint() == null ? "check repository.path and the passphrase, or pass --no-ingest" : e.hint());
            }
        }
        Instant instant = at != null ? at : catalog.now();
        return StatusReport.of(instant, new MonitoringView(catalog).at(instant), database, ingest, ingestProblem);
    }

    /** The repository (all copies together) and each copy apart; a copy that cannot be reached is passed without a repository. */
    private record Sources(Repository repository, List<CatalogIngest.Copy> copies) {
    }

    private Sources sources() {
        List<CellarContext.Copy> each = context.openEachCopy();
        Repository whole = each.size() == 1 ? each.get(0).repository() : null;
        List<CatalogIngest.Copy> copies = new ArrayList<>();
        for (CellarContext.Copy copy : each) {
            Repository opened;
            try {
                opened = copy.repository();
            } catch (CellarException e) {
                opened = null;
            }
            copies.add(new CatalogIngest.Copy(copy.target().name(), opened));
        }
        if (whole == null) {
            whole = context.openRepository();
        }
        return new Sources(whole, copies);
    }
}
