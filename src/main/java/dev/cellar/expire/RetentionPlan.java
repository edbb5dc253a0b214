package dev.cellar.expire;

import java.time.Instant;
import java.util.List;

/**
 * What an expiry run keeps and deletes, and why. The same plan is printed by {@code --dry-run}
 * and executed by the real run, so it holds everything a reader needs to trust it.
 *
 * @param now             the time the plan was made for
 * @param fullCutoff      backups that finished at or before this are old enough to expire
 * @param windowStart     the oldest moment point-in-time recovery must still reach
 * @param anchorId        the physical backup recovery to {@code windowStart} starts from (null without physical backups)
 * @param recoverableFrom the earliest time point-in-time recovery can reach after this plan: the finish of the
 *                        oldest kept physical backup, since all WAL from its start on is kept (null without one)
 * @param keep            backups kept, oldest first, each with why
 * @param delete          backups deleted, oldest first, each with why
 * @param walKeepFrom     the first WAL segment still needed (segments numbered below it go), or null when no WAL is deleted
 * @param walKept         WAL files kept, as ranges of consecutive segments per timeline
 * @param walDeleted      WAL files deleted, as ranges
 * @param walToDelete     every WAL file deleted, in the order they are deleted (ascending)
 * @param historyKept     timeline history files, always kept
 * @param chunksToFree    chunks only deleted backups reference (gc removes them after the deletions)
 * @param bytesToFree     estimate of stored bytes freed: deleted WAL plus those chunks (gc may free more:
 *                        chunks of interrupted backups)
 * @param warnings        things the operator should know: a shorter window than configured, WAL a kept backup lacks
 */
public record RetentionPlan(
        Instant now,
        int fullDays,
        int walDays,
        Instant fullCutoff,
        Instant windowStart,
        String anchorId,
        Instant recoverableFrom,
        List<BackupDecision> keep,
        List<BackupDecision> delete,
        String walKeepFrom,
        List<WalRange> walKept,
        List<WalRange> walDeleted,
        List<String> walToDelete,
        List<String> historyKept,
        int chunksToFree,
        long bytesToFree,
        List<String> warnings) {

    public RetentionPlan {
        keep = List.copyOf(keep);
        delete = List.copyOf(delete);
        walKept = List.copyOf(walKept);
        walDeleted = List.copyOf(walDeleted);
        walToDelete = List.copyOf(walToDelete);
        historyKept = List.copyOf(historyKept);
        warnings = List.copyOf(warnings);
    }

    /**
     * One backup's fate. {@code type} is {@code full}/{@code incr} for physical backups, null
     * otherwise; {@code lockedUntil} is the end of its WORM retention while that is still running, else null.
     */
    public record BackupDecision(String id, String kind, String type, String database, Instant finishedAt, String reason,
                                 Instant lockedUntil) {
    }

    /**
     * Consecutive WAL files of one timeline (segments with their partial and backup-history
     * files), from {@code first} to {@code last} by name.
     */
    public record WalRange(int timeline, String first, String last, int files) {
    }

    public boolean deletesNothing() {
        return delete.isEmpty() && walToDelete.isEmpty();
    }
}
