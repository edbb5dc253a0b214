package dev.cellar.server.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * What a server says about its WAL archiving and streaming ({@code pg_stat_archiver},
 * {@code pg_stat_replication}), plus what the previous observation said.
 *
 * @param server              the server's name in the configuration (or its host:port)
 * @param newestArchivedAt    when the newest segment reached the repository; null if none ever did
 * @param walWaiting          whether finished segments wait to be archived; null when unknown (then
 *                            an old newest segment is reported whatever the cause)
 * @param failedCount         {@code pg_stat_archiver.failed_count} now
 * @param previousFailedCount the same at the previous observation; null on the first
 * @param lastFailedAt        {@code last_failed_time}; null if it never failed
 * @param lastFailedWal       {@code last_failed_wal}; null if it never failed
 * @param streamLagBytes      how far Cellar's WAL stream is behind the server; null when not streaming
 */
public record WalStatus(String server, Instant newestArchivedAt, Boolean walWaiting, long failedCount, Long previousFailedCount,
        Instant lastFailedAt, String lastFailedWal, Long streamLagBytes) {
    public WalStatus {
        Objects.requireNonNull(server, "server");
    }
}
