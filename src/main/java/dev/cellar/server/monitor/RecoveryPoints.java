package dev.cellar.server.monitor;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The newest instant a database could be recovered to from the repository, from what the catalog
 * and its server say. A logical backup recovers to its snapshot; a physical one to its end, and,
 * with WAL archived after it, to the newest archived segment: PostgreSQL's archiver never skips a
 * segment (it retries the same one until it succeeds), so WAL archived after a backup is unbroken
 * up to {@code last_archived_time}. That time is when the segment was stored, so it is an upper
 * bound of the newest transaction in it, off by at most one segment's worth of writing
 * ({@code archive_timeout} bounds that on a quiet server).
 */
public final class RecoveryPoints {
    private RecoveryPoints() {
    }

    /**
     * @param backups the database's successful, not expired backups (any order, any kinds)
     * @param wal     its server's WAL facts; null when the server never answered
     */
    public static Optional<Instant> newest(WatchedDatabase database, List<LoggedBackup> backups, WalFacts wal) {
        Optional<Instant> fromBackups = backups.stream().filter(b -> b.database().equals(database.name()))
                .map(LoggedBackup::consistentAt).max(Comparator.naturalOrder());
        Optional<Instant> newestPhysical = backups.stream()
                .filter(b -> b.database().equals(database.name()) && "physical".equals(b.backupType()) && b.finishedAt() != null)
                .map(LoggedBackup::finishedAt).max(Comparator.naturalOrder());
        if (newestPhysical.isEmpty() || wal == null || !wal.archiveModeOn() || wal.lastArchivedAt() == null
                || !wal.lastArchivedAt().isAfter(newestPhysical.get())) {
            return fromBackups;
        }
        Instant walPoint = wal.lastArchivedAt();
        return Optional.of(fromBackups.filter(b -> b.isAfter(walPoint)).orElse(walPoint));
    }
}
