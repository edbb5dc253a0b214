package dev.cellar.restore;

import dev.cellar.repo.BackupManifest;
import java.util.List;

/**
 * The backup a point-in-time restore starts from, and why.
 *
 * @param order     the backup to use; more than one (newest first) only when the archived WAL
 *                  could not place a transaction id or restore point, so that recovery itself
 *                  must tell (then each one that does not reach the target is followed by the next)
 * @param reason    one sentence for the output, {@code --json} and the audit trail
 * @param targetLsn where the target's record lies in the WAL, when Cellar located it; else null
 */
record BackupChoice(List<BackupManifest> order, String reason, String targetLsn) {

    static BackupChoice of(BackupManifest backup, String reason) {
        return new BackupChoice(List.of(backup), reason, null);
    }

    boolean certain() {
        return order.size() == 1;
    }
}
