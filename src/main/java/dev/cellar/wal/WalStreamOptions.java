package dev.cellar.wal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code cellar wal stream} runs.
 *
 * @param slot        physical replication slot to stream from ({@code wal.stream-slot})
 * @param createSlot  create the slot when it does not exist (else that is an error)
 * @param spoolRoot   {@code wal.spool-path}; WAL is received into {@code <spoolRoot>/stream/<system identifier>}
 * @param rpo         longest time received WAL stays only on this host ({@code wal.rpo-seconds})
 * @param binDir      {@code postgres.bin-dir}, or null to search for pg_receivewal
 * @param tick        how often the spool is looked at
 * @param minBackoff  first wait before restarting a pg_receivewal that stopped
 * @param maxBackoff  longest wait between restarts while the server stays away
 * @param slotFreeWait how long a slot still marked active may take to be released (our own
 *                    previous walsender on its way out) before that counts as "in use"
 */
public record WalStreamOptions(String slot, boolean createSlot, Path spoolRoot, Duration rpo, Path binDir, Duration tick,
                               Duration minBackoff, Duration maxBackoff, Duration slotFreeWait) {
    public static final Duration DEFAULT_TICK = Duration.ofMillis(100);
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SLOT_FREE_WAIT = Duration.ofSeconds(10);

    public WalStreamOptions {
        if (slot == null || !slot.matches("[a-z0-9_]{1,63}")) {
            throw new dev.cellar.error.CellarException(dev.cellar.error.ErrorCode.USAGE, "'" + slot + "' is not a valid replication slot name",
                    "use lower-case letters, digits and underscores (at most 63), e.g. cellar");
        }
    }

    public static WalStreamOptions of(String slot, boolean createSlot, Path spoolRoot, Duration rpo, Path binDir) {
        return new WalStreamOptions(slot, createSlot, spoolRoot, rpo, binDir, DEFAULT_TICK, DEFAULT_MIN_BACKOFF, DEFAULT_MAX_BACKOFF,
                DEFAULT_SLOT_FREE_WAIT);
    }

    /** The same options with other waits (tests use short ones). */
    public WalStreamOptions withWaits(Duration min, Duration max, Duration slotWait) {
        return new WalStreamOptions(slot, createSlot, spoolRoot, rpo, binDir, tick, min, max, slotWait);
    }
}
