package dev.cellar.web.ui;

import dev.cellar.app.AuditService;
import dev.cellar.app.CellarContext;
import dev.cellar.app.ShowService;
import dev.cellar.drill.DrillSummary;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.web.api.StoredReports;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Reads the repository through ShowService, AuditService and StoredReports, one context per request (reads take no lock). */
public final class ContextRepositoryReads implements RepositoryReads {
    private final Supplier<CellarContext> contexts;

    /** @param contexts opens a context the way the daemon does (unattended, never prompting) */
    public ContextRepositoryReads(Supplier<CellarContext> contexts) {
        this.contexts = contexts;
    }

    @Override
    public Optional<BackupManifest> manifest(String backupId) {
        try (CellarContext context = contexts.get()) {
            return Optional.of(new ShowService(context).show(backupId));
        } catch (CellarException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public AuditLog.AuditReport audit() {
        try (CellarContext context = contexts.get()) {
            return new AuditService(context).read();
        }
    }

    @Override
    public List<DrillSummary> drills() {
        try (CellarContext context = contexts.get()) {
            return new StoredReports(context.openRepository()).drills();
        }
    }

    @Override
    public List<StoredReports.ReportListing> reports() {
        try (CellarContext context = contexts.get()) {
            return new StoredReports(context.openRepository()).reports();
        }
    }
}
