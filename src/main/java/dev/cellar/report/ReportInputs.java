package dev.cellar.report;

import dev.cellar.drill.DrillSummary;
import dev.cellar.lifecycle.erasure.LedgerEntry;
import dev.cellar.repo.AuditRecord;
import dev.cellar.storage.Retention;
import dev.cellar.wal.WalInventory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the checks read of a repository, gathered once at the edge so each check is a pure
 * function of it.
 *
 * @param storage               how the storage describes itself (for the reasons a check gives)
 * @param chainProblems         what breaks the audit trail's hash chain; empty when intact
 * @param heldRetention         backup id to the retention the storage holds its manifest under
 * @param lockTime              "now" as the storage that enforces WORM sees it
 * @param keySlots              the objects under keys/
 */
public record ReportInputs(String repositoryId, String storage, String cipher, List<BackupFact> backups, List<AuditRecord> trail,
                           List<String> chainProblems, List<DrillSummary> drills, WalInventory wal, boolean storageKeepsRetention,
                           Map<String, Optional<Retention>> heldRetention, Instant lockTime, List<LedgerEntry> ledger, List<String> keySlots) {
}
