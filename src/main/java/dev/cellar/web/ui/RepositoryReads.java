package dev.cellar.web.ui;

import dev.cellar.repo.AuditLog;
import dev.cellar.repo.BackupManifest;
import java.util.Optional;

/**
 * What the dashboard reads from the repository itself rather than the catalog: a backup's manifest (its
 * tables and row counts) and the audit trail with its chain check. {@link ContextRepositoryReads} reads
 * them through the same services as the CLI.
 */
public interface RepositoryReads {
    /** Empty when the repository holds no backup with this id. */
    Optional<BackupManifest> manifest(String backupId);

    AuditLog.AuditReport audit();
}
