package dev.cellar.lifecycle.erasure;

import dev.cellar.repo.BackupManifest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which backups still hold a subject's erased data, and the earliest date each can age out: the
 * data stays in a backup taken before the erasure was applied until expiry removes that backup
 * ("beyond use": kept, never restored without re-applying the ledger). Expiry keeps a backup
 * {@code retention.full-days} after it finished, keeps the newest backup of each kind whatever its
 * age, and cannot delete a WORM-locked one before its lock ends: the later date wins.
 */
public final class BeyondUse {
    private BeyondUse() {
    }

    /**
     * @param agesOutAt  the earliest day expiry may remove it; null while it is the newest of its kind
     * @param why        how that date was found, for the operator
     */
    public record HoldingBackup(String id, String kind, Instant finishedAt, Instant agesOutAt, String why) {
    }

    /**
     * @param backups    every backup of the repository
     * @param database   the subject's database: its logical backups, and every physical backup (a cluster holds all its databases)
     * @param erasedAt   when the erasure was applied; null when it was not yet (then every backup holds the data)
     */
    public static List<HoldingBackup> holding(List<BackupManifest> backups, String database, Instant erasedAt, int fullDays) {
        List<BackupManifest> relevant = backups.stream()
                .filter(b -> b.isPhysical() || database.equals(b.database()))
                .sorted(Comparator.comparing(BackupManifest::finishedAt)).toList();
        List<HoldingBackup> holding = new ArrayList<>();
        for (BackupManifest b : relevant) {
            // a backup that started before the erasure committed may have read the rows before it
            if (erasedAt != null && !b.startedAt().isBefore(erasedAt)) {
                continue;
            }
            boolean newestOfKind = relevant.stream().noneMatch(o -> o.kind().equals(b.kind()) && o.finishedAt().isAfter(b.finishedAt()));
            Instant byAge = b.finishedAt().plus(Duration.ofDays(fullDays));
            Instant lockEnd = b.retention() == null ? null : b.retention().retainUntil();
            if (newestOfKind) {
                holding.add(new HoldingBackup(b.id(), b.kind(), b.finishedAt(), null,
                        "the newest " + b.kind() + " backup is kept until a newer one exists, then " + fullDays + " days"
                                + (lockEnd == null ? "" : " (WORM lock until " + lockEnd + ")")));
            } else if (lockEnd != null && lockEnd.isAfter(byAge)) {
                holding.add(new HoldingBackup(b.id(), b.kind(), b.finishedAt(), lockEnd, "WORM lock ends"));
            } else {
                holding.add(new HoldingBackup(b.id(), b.kind(), b.finishedAt(), byAge, "retention.full-days = " + fullDays));
            }
        }
        return holding;
    }
}
