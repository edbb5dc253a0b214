package dev.cellar.sync;

import dev.cellar.wal.WalFileName;
import java.util.List;

/**
 * What one copy lacks from another and should receive: the backups its own retention keeps, and
 * the WAL files it keeps. Objects the copy would expire at once are left out, with why.
 *
 * @param backupsToCopy ids of the source's backups the target lacks and keeps, oldest first
 * @param backupsSkipped ids the target lacks but its retention would expire at once, each with the reason
 * @param walToCopy     WAL files the target lacks and keeps, ascending
 * @param walSkipped    WAL files the target lacks but would expire at once
 */
public record SyncPlan(List<String> backupsToCopy, List<String> backupsSkipped, List<WalFileName> walToCopy, List<String> walSkipped) {
    public SyncPlan {
        backupsToCopy = List.copyOf(backupsToCopy);
        backupsSkipped = List.copyOf(backupsSkipped);
        walToCopy = List.copyOf(walToCopy);
        walSkipped = List.copyOf(walSkipped);
    }
}
