package dev.cellar.wal;

import java.time.Instant;

/**
 * The last shipment of one partial segment.
 *
 * @param size        file size the listing saw
 * @param modified    modification time the listing saw
 * @param readStarted when Cellar began reading the file for this shipment
 * @param shippedAt   when the shipment was stored in the repository
 */
record PartialShipped(long size, Instant modified, Instant readStarted, Instant shippedAt) {
}
