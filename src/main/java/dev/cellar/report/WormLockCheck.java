package dev.cellar.report;

import dev.cellar.storage.Retention;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "WORM locks held": every backup whose manifest records a retention still running is held by
 * the storage under a retention at least as long (and compliance when it promised compliance).
 * On storage that keeps no retention the check does not apply: it says so, it does not pass.
 */
final class WormLockCheck {
    static final String NAME = "WORM locks held";

    private WormLockCheck() {
    }

    /**
     * @param storageKeepsRetention whether the repository's storage can hold objects under retention
     * @param held                  backup id to the retention the storage holds its manifest under (absent: none)
     * @param lockTime              "now" as the storage that enforces the locks sees it
     */
    static ReportCheck evaluate(boolean storageKeepsRetention, String storage, List<BackupFact> backups, Map<String, Optional<Retention>> held,
                                Instant lockTime) {
        if (!storageKeepsRetention) {
            return ReportCheck.notApplicable(NAME, storage + " keeps no object retention (WORM): there are no locks to hold; see docs/worm.md");
        }
        List<ReportFinding> failures = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        int locked = 0;
        for (BackupFact backup : backups) {
            Retention promised = backup.retention();
            if (promised == null || !promised.retainUntil().isAfter(lockTime)) {
                continue;
            }
            locked++;
            Optional<Retention> kept = held.getOrDefault(backup.id(), Optional.empty());
            String mode = promised.mode().name().toLowerCase(java.util.Locale.ROOT);
            if (kept.isEmpty()) {
                failures.add(new ReportFinding(backup.id(), "backup " + backup.id() + " records a " + mode + " lock until "
                        + promised.retainUntil() + ", but the storage holds its manifest under no retention", List.of(backup.id())));
            } else if (kept.get().retainUntil().isBefore(promised.retainUntil())
                    || (promised.mode() == Retention.Mode.COMPLIANCE && kept.get().mode() != Retention.Mode.COMPLIANCE)) {
                failures.add(new ReportFinding(backup.id(), "backup " + backup.id() + " records a " + mode + " lock until "
                        + promised.retainUntil() + ", but the storage holds it " + kept.get().mode().name().toLowerCase(java.util.Locale.ROOT)
                        + " until " + kept.get().retainUntil(), List.of(backup.id())));
            } else {
                evidence.add(backup.id() + ": " + kept.get().mode().name().toLowerCase(java.util.Locale.ROOT) + " until " + kept.get().retainUntil());
            }
        }
        if (locked == 0) {
            return ReportCheck.notApplicable(NAME, "no backup in " + storage + " records a running WORM lock");
        }
        return ReportCheck.judged(NAME, (locked - failures.size()) + " of " + locked + " locked backups held as recorded", failures, evidence);
    }
}
