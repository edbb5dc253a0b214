package dev.cellar.web.ui;

import dev.cellar.drill.DrillSummary;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.web.api.StoredReports;
import java.util.List;
import java.util.Optional;

/**
 * What the dashboard reads from the repository itself rather than the catalog: a backup's manifest (its
 * tables and row counts) and the audit trail with its chain check. {@link ContextRepositoryReads} reads
 * them through the same services as the CLI; the stored drills and audit reports through {@link StoredReports}.
 */
public interface RepositoryReads {
    /** Empty when the repository holds no backup with this id. */
    Optional<BackupManifest> manifest(String backupId);

    AuditLog.AuditReport audit();

    /** The stored drills' summaries, newest first. A reader that holds none (a stand-in) has none to show. */
    default List<DrillSummary> drills() {
        return List.of();
    }

    /** The stored quarterly and annual reports, newest first. */
    default List<StoredReports.ReportListing> reports() {
        return List.of();
    }
}
