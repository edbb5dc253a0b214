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
}
