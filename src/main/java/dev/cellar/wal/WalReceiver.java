package dev.cellar.wal;

import java.time.Duration;

/**
 * One run of a WAL receiver writing into the stream spool as {@code pg_receivewal} does
 * (segments as {@code <name>.partial} until complete, every write flushed and confirmed to the
 * server), until it stops on request, loses the server, or is refused.
 */
public interface WalReceiver extends AutoCloseable {

    /** Waits up to {@code timeout} for the run to end; returns why it ended, or null if it still runs. */
    ReceiverExit awaitExit(Duration timeout) throws InterruptedException;

    /** Asks the run to end after its last write is flushed; returns at once. */
    void requestStop();

    /** Ends the run, forcibly if it does not stop in a few seconds. */
    @Override
    void close();
}
