package dev.cellar.wal;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.PgVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code cellar wal stream}: keeps a receiver getting WAL over a physical replication slot into
 * the local spool, and ships what it receives to the repository (finished segments at once, the
 * partial segment within the RPO). The receiver is PostgreSQL's {@code pg_receivewal} when one at
 * least as new as the server is found (it refuses newer servers), else Cellar's built-in
 * {@link ReplicationReceiver}; both write the spool alike. It runs without its own retry loop;
 * when it stops, the partial is shipped one last time, the reason is told to the listener, and it
 * is restarted with backoff until {@link #stop()} or a fatal refusal.
 *
 * <p>Call {@link #prepare()} (checks, slot, spool), then {@link #run()} on one thread;
 * {@link #stop()} and {@link #status()} may be called from any thread.
 */
public final class WalStreamer {
    private static final Duration HEALTHY_RUN = Duration.ofSeconds(60);
    private static final Duration POSITIONS_REFRESH = Duration.ofSeconds(1);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration SHIP_ERROR_REPEAT = Duration.ofSeconds(30);
    /**
     * After a lost connection the server may keep the old walsender (and so the slot) until
     * wal_sender_timeout (default 60 s) notices it is gone; a restart waits that long.
     */
    private static final Duration SLOT_FREE_WAIT_AFTER_LOSS = Duration.ofSeconds(90);
    static final String BUILT_IN_RECEIVER = "the built-in receiver (streaming replication protocol)";

    private final PgConnectionSpec database;
    private final WalArchive archive;
    private final WalStreamOptions options;
    private final StreamListener listener;
    private final Clock clock;
    private final StreamServer server;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    private Prepared prepared;
    private StreamSpoolShipper shipper;
    private volatile String state = "starting";
    private volatile StreamServer.Positions positions;
    private volatile int restarts;
    private volatile String lastStop;
    private Instant positionsAt;
    private Instant lastShipError;

    public WalStreamer(PgConnectionSpec database, WalArchive archive, WalStreamOptions options, StreamListener listener, Clock clock) {
        this.database = database;
        this.archive = archive;
        this.options = options;
        this.listener = listener;
        this.clock = clock;
        this.server = new StreamServer(database, clock);
    }

    /**
     * What {@link #prepare()} found and set up.
     *
     * @param receiver     what receives the WAL, for people: pg_receivewal's path and version, or the built-in receiver
     * @param pgReceivewal the pg_receivewal that streams, or null for the built-in receiver
     */
    public record Prepared(String systemIdentifier, String serverVersion, Path spool, String slot, boolean slotCreated,
                           String slotLsn, String receiver, Path pgReceivewal) {
    }

    /** How a run ended. */
    public record Summary(int restarts, long segmentsShipped, long partialShipments, String lastSegment, String lastPartial,
                          String shippedLsn) {
    }

    /**
     * Checks that the server can stream to this user, picks the receiver (a pg_receivewal at least
     * as new as the server, else the built-in one), makes sure the slot exists (creating it if
     * asked) and is free, and opens the spool of this cluster. Fails with a clear error and
     * changes nothing else otherwise.
     */
    public Prepared prepare() {
        // 1. The server: reachable, wal_level, max_wal_senders, REPLICATION, system identifier.
        StreamServer.Facts facts = server.requireStreamable();
        // 2. pg_receivewal if one is no older than the server, else the built-in receiver.
        PgBinaries binaries = PgBinaries.locateFor(options.binDir(), facts.version());
        Path pgReceivewal = usablePgReceivewal(binaries, facts.version());
        String receiver = pgReceivewal == null ? BUILT_IN_RECEIVER : pgReceivewal + " " + binaries.version("pg_receivewal");
        // 3. The slot: physical, not lost, created on request.
        boolean created = false;
        StreamServer.Slot slot = server.slot(options.slot()).orElse(null);
        if (slot == null) {
            if (!options.createSlot()) {
                throw new CellarException(ErrorCode.NOT_FOUND, "replication slot " + options.slot() + " does not exist on " + where(),
                        "run 'cellar wal stream --create-slot' once to create it (or create it yourself with "
                                + "SELECT pg_create_physical_replication_slot('" + options.slot() + "', true))");
            }
            long lsn = server.createPhysicalSlot(options.slot());
            created = true;
            listener.event("created physical replication slot " + options.slot() + " on " + where() + "; the server keeps WAL from "
                    + Lsn.format(lsn) + " on until this stream has received it (drop the slot if you stop streaming for good)");
            slot = server.slot(options.slot()).orElseThrow();
        } else if (!"physical".equals(slot.type())) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "replication slot " + options.slot() + " on " + where() + " is a " + slot.type()
                    + " slot; WAL streaming needs a physical one", "choose another name with --slot (wal.stream-slot)");
        } else if ("lost".equals(slot.walStatus())) {
            throw new CellarException(ErrorCode.INTEGRITY, "replication slot " + options.slot() + " on " + where()
                    + " has lost WAL it should have kept (wal_status = lost): the archive has a gap from this stream",
                    "drop it (SELECT pg_drop_replication_slot('" + options.slot() + "')), start again with --create-slot, "
                            + "and take a new physical backup; raise max_slot_wal_keep_size or keep the stream running");
        }
        awaitSlotFree(options.slotFreeWait());
        // 4. The spool of this cluster.
        StreamSpool spool = StreamSpool.open(options.spoolRoot(), facts.systemIdentifier());
        shipper = new StreamSpoolShipper(spool, archive, new ShipPolicy(options.rpo(), options.tick()), clock);
        if (spool.list().isEmpty()) {
            noteStartWithoutHistory(slot);
        }
        prepared = new Prepared(facts.systemIdentifier(), facts.versionString(), spool.folder(), options.slot(), created,
                slot.restartLsn() < 0 ? null : Lsn.format(slot.restartLsn()), receiver, pgReceivewal);
        return prepared;
    }

    /** The pg_receivewal to stream with, or null when none found is at least as new as the server. */
    private Path usablePgReceivewal(PgBinaries binaries, PgVersion server) {
        try {
            binaries.requireAtLeast("pg_receivewal", server);
            return binaries.path("pg_receivewal");
        } catch (CellarException e) {
            if (e.code() != ErrorCode.BINARY_MISSING) {
                throw e;
            }
            listener.event(e.getMessage() + "; streaming with " + BUILT_IN_RECEIVER + " instead");
            return null;
        }
    }

    /**
     * Streams until {@link #stop()} (returns normally) or a refusal that retrying cannot fix
     * (throws). Ships the partial segment one last time whenever the receiver stops.
     */
    public Summary run() {
        if (prepared == null) {
            throw new IllegalStateException("prepare() first");
        }
        ReconnectBackoff backoff = new ReconnectBackoff(options.minBackoff(), options.maxBackoff(), HEALTHY_RUN);
        try {
            while (!stopping()) {
                Instant started = clock.instant();
                ReceiverExit exit = receiveOnce();
                finalShip();
                if (stopping()) {
                    break;
                }
                if (!exit.retryable()) {
                    throw exit.fatal();
                }
                restarts++;
                lastStop = exit.reason();
                Duration wait = backoff.next(Duration.between(started, clock.instant()));
                state = "reconnecting";
                listener.event("the receiver stopped (exit code " + exit.exitCode() + ": " + exit.reason() + "); partial segment shipped; "
                        + "restarting in " + String.format(java.util.Locale.ROOT, "%.1f", wait.toMillis() / 1000.0) + " s");
                if (stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
                awaitSlotFreeIfReachable();
            }
            state = "stopped";
            return summary();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while streaming WAL");
        } finally {
            state = "stopped";
            server.close();
            finished.countDown();
        }
    }

    /** Asks {@link #run()} to stop: the receiver is stopped, the partial shipped, then run returns. */
    public void stop() {
        stopRequested.countDown();
    }

    /** Waits for {@link #run()} to return after {@link #stop()}; false on timeout. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public StreamStatus status() {
        StreamServer.Positions p = positions;
        StreamSpoolShipper s = shipper;
        long server = p == null ? -1 : p.serverLsn();
        long received = p == null ? -1 : p.slotLsn();
        long shipped = s == null ? -1 : s.shippedLsn();
        return new StreamStatus(clock.instant(), state, options.slot(), lsn(server), lsn(received), lsn(shipped),
                s == null || s.lastFinished() == null ? null : s.lastFinished().name(),
                s == null || s.lastPartial() == null ? null : s.lastPartial().name(),
                server >= 0 && received >= 0 ? Math.max(0, server - received) : null,
                server >= 0 && shipped >= 0 ? Math.max(0, server - shipped) : null,
                s == null ? 0 : s.waiting().toMillis() / 1000.0, restarts,
                s == null ? 0 : s.finishedCount(), s == null ? 0 : s.partialCount(),
                s == null ? 0 : s.lastPartialTook().toMillis(), lastStop);
    }

    /** Runs the receiver once, shipping every tick, until it exits or a stop is requested. */
    private ReceiverExit receiveOnce() throws InterruptedException {
        state = "streaming";
        try (WalReceiver receiver = startReceiver()) {
            Instant stopAsked = null;
            while (true) {
                ReceiverExit exit = receiver.awaitExit(options.tick());
                if (exit != null) {
                    return exit;
                }
                if (stopping() && stopAsked == null) {
                    receiver.requestStop();
                    stopAsked = clock.instant();
                } else if (stopAsked != null && Duration.between(stopAsked, clock.instant()).compareTo(STOP_GRACE) > 0) {
                    receiver.close();
                }
                refreshPositions(false);
                ship(false);
            }
        } catch (CellarException fatal) {
            if (fatal.code() == ErrorCode.WAL_CONFLICT) {
                listener.event("stopping: " + fatal.getMessage());
            }
            throw fatal;
        }
    }

    private WalReceiver startReceiver() {
        if (prepared.pgReceivewal() != null) {
            return ReceiveWalProcess.start(prepared.pgReceivewal(), database, options.slot(), prepared.spool(), listener::event);
        }
        return ReplicationReceiver.start(database, options.slot(), prepared.spool(), slotPosition(), listener::event);
    }

    /** Where the slot keeps WAL from (the built-in receiver starts there when the spool is empty), or -1 if not known. */
    private long slotPosition() {
        try {
            return server.slot(options.slot()).map(StreamServer.Slot::restartLsn).orElse(-1L);
        } catch (CellarException unreachable) {
            return prepared.slotLsn() == null ? -1 : Lsn.parse(prepared.slotLsn());
        }
    }

    /** The last shipment after the receiver stopped: everything it flushed goes to the repository. */
    private void finalShip() {
        refreshPositions(true);
        ship(true);
    }

    private void ship(boolean finalPass) {
        try {
            ShipPlan plan = shipper.plan(finalPass);
            if (!plan.shipsAnything()) {
                return;
            }
            // the receiver's confirmed position, read before the listing the shipment is made of
            OptionalLong received = server.slotLsn(options.slot());
            shipper.execute(shipper.plan(finalPass), received);
        } catch (CellarException e) {
            if (e.code() == ErrorCode.WAL_CONFLICT) {
                throw e;
            }
            Instant now = clock.instant();
            if (lastShipError == null || Duration.between(lastShipError, now).compareTo(SHIP_ERROR_REPEAT) >= 0) {
                listener.event("shipping WAL to the repository failed, retrying (the WAL stays in " + prepared.spool() + "): " + e.getMessage());
                lastShipError = now;
            }
        }
    }

    private void refreshPositions(boolean now) {
        Instant t = clock.instant();
        if (now || positionsAt == null || Duration.between(positionsAt, t).compareTo(POSITIONS_REFRESH) >= 0) {
            Optional<StreamServer.Positions> p = server.positions(options.slot());
            p.ifPresent(value -> positions = value);
            positionsAt = t;
        }
    }

    /** A slot still marked active is usually our own previous walsender on its way out; give it a moment. */
    private void awaitSlotFree(Duration wait) {
        Instant deadline = clock.instant().plus(wait);
        boolean told = false;
        while (!stopping()) {
            StreamServer.Slot slot = server.slot(options.slot()).orElse(null);
            if (slot == null || slot.activePid() == null) {
                return;
            }
            if (!told && wait.compareTo(options.slotFreeWait()) > 0) {
                listener.event("replication slot " + options.slot() + " is still held by server process " + slot.activePid()
                        + " (an old connection the server has not yet noticed is gone, see wal_sender_timeout); waiting up to "
                        + wait.toSeconds() + " s");
                told = true;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new CellarException(ErrorCode.LOCKED, "replication slot " + options.slot() + " on " + where()
                        + " is in use by server process " + slot.activePid() + " (" + slot.activeClient().strip() + ")",
                        "another 'cellar wal stream' or pg_receivewal streams from this slot; stop it, or give this stream its own slot with --slot");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while waiting for replication slot " + options.slot());
            }
        }
    }

    private void awaitSlotFreeIfReachable() {
        try {
            awaitSlotFree(options.slotFreeWait().compareTo(SLOT_FREE_WAIT_AFTER_LOSS) > 0 ? options.slotFreeWait() : SLOT_FREE_WAIT_AFTER_LOSS);
        } catch (CellarException e) {
            if (e.code() != ErrorCode.DATABASE_UNREACHABLE) {
                throw e;
            }
            // the server is away: the receiver will find out again and we back off
        }
    }

    /**
     * A new slot (or an empty spool) makes pg_receivewal start at the slot's position: WAL from
     * before it reaches the repository only through archive_command. Say so when the archive
     * does not already run up to that point.
     */
    private void noteStartWithoutHistory(StreamServer.Slot slot) {
        if (slot.restartLsn() < 0) {
            return;
        }
        long startSegment = slot.restartLsn() / WalFileName.DEFAULT_SEGMENT_SIZE;
        List<WalFileName> archived = archive.list().stream().filter(f -> f.kind() == WalFileName.Kind.SEGMENT).toList();
        if (archived.isEmpty()) {
            listener.event("the spool is empty: streaming starts with the segment holding " + Lsn.format(slot.restartLsn())
                    + "; WAL before it is not in this repository (take a physical backup after the stream runs)");
            return;
        }
        WalFileName newest = archived.get(archived.size() - 1);
        long newestNumber = newest.segmentNumber(WalFileName.DEFAULT_SEGMENT_SIZE);
        if (newestNumber + 1 < startSegment) {
            listener.event("the spool is empty: streaming starts with the segment holding " + Lsn.format(slot.restartLsn())
                    + " but the archive ends with " + newest + "; the segments in between reach the repository only if "
                    + "archive_command pushes them");
        }
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private Summary summary() {
        return new Summary(restarts, shipper.finishedCount(), shipper.partialCount(),
                shipper.lastFinished() == null ? null : shipper.lastFinished().name(),
                shipper.lastPartial() == null ? null : shipper.lastPartial().name(), lsn(shipper.shippedLsn()));
    }

    private String where() {
        return database.host() + ":" + database.port();
    }

    private static String lsn(long value) {
        return value < 0 ? null : Lsn.format(value);
    }
}
