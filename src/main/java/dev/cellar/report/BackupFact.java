package dev.cellar.report;

import dev.cellar.storage.Retention;
import java.time.Instant;

/**
 * What the reports need of one backup's manifest.
 *
 * @param auditSequence the audit record that opened the backup
 * @param startWal      for a physical backup, the first WAL file it needs; null for a logical one
 * @param retention     the WORM lock its manifest records, or null
 */
public record BackupFact(String id, String database, String kind, Instant finishedAt, long auditSequence, String startWal,
                         Retention retention) {
    public boolean physical() {
        return startWal != null;
    }

    /**
     * Whether this backup holds {@code wanted} (null: any database). A physical backup is of the
     * whole cluster (no database of its own) and holds every database in it: a report about one
     * database judges the cluster's physical backups and their WAL too.
     */
    public boolean holds(String wanted) {
        return wanted == null || database == null || wanted.equals(database);
    }
}
