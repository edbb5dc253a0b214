package dev.cellar.server.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * What one PostgreSQL server says about its WAL archiving ({@code pg_stat_archiver}) and Cellar's
 * stream slot ({@code pg_replication_slots}).
 *
 * @param server          {@code host:port}
 * @param archiveModeOn   whether {@code archive_mode} is on (or always)
 * @param lastArchivedAt  {@code last_archived_time}: when the archive command last reported a segment
 *                        stored; null if none ever was
 * @param readySegments   finished segments waiting for the archiver ({@code .ready} files); null
 *                        when the server does not let this user look
 * @param slotLagBytes    how far the stream slot's position is behind the server's current WAL;
 *                        null when the slot does not exist
 */
public record WalFacts(String server, boolean archiveModeOn, long archivedCount, String lastArchivedWal, Instant lastArchivedAt,
        long failedCount, String lastFailedWal, Instant lastFailedAt, Long readySegments, Long slotLagBytes) {
    public WalFacts {
        Objects.requireNonNull(server, "server");
    }

    /** Whether there is anything of WAL to judge: archiving on, or a stream slot present. */
    public boolean watched() {
        return archiveModeOn || slotLagBytes != null;
    }
}
