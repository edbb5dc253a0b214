package dev.cellar.wal;

import java.time.Instant;

/**
 * One WAL file in the streaming spool as one directory listing saw it. {@code pg_receivewal}
 * pads a {@code .partial} file to the full segment size when it creates it, so for a partial
 * only the modification time tells that new WAL arrived.
 */
public record SpoolFile(WalFileName name, long size, Instant modified) {
}
