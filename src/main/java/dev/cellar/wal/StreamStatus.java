package dev.cellar.wal;

import java.time.Instant;

/**
 * One look at a running stream, for the status line and {@code --json}. LSNs are in
 * PostgreSQL's text form; null where not known (the server is away, nothing shipped yet).
 *
 * @param state               {@code streaming}, {@code reconnecting} or {@code stopped}
 * @param serverLsn           WAL the server has flushed
 * @param receivedLsn         WAL pg_receivewal has flushed to the spool (the slot's position)
 * @param shippedLsn          WAL the repository is known to hold
 * @param lastSegment         newest finished segment shipped
 * @param lastPartial         newest partial segment shipped
 * @param receiveLagBytes     server minus received, or null
 * @param repositoryLagBytes  server minus shipped, or null
 * @param repositoryLagSeconds how long the oldest WAL not yet in the repository has waited
 * @param restarts            times pg_receivewal was restarted
 * @param segmentsShipped     finished segments and history files shipped by this run
 * @param partialShipments    partial segment shipments by this run
 * @param lastShipMillis      how long the last partial shipment took (read, compress, encrypt, store)
 * @param lastStop            why pg_receivewal last stopped, or null
 */
public record StreamStatus(Instant at, String state, String slot, String serverLsn, String receivedLsn, String shippedLsn,
                           String lastSegment, String lastPartial, Long receiveLagBytes, Long repositoryLagBytes,
                           double repositoryLagSeconds, int restarts, long segmentsShipped, long partialShipments, long lastShipMillis,
                           String lastStop) {
}
