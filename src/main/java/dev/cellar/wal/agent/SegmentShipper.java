package dev.cellar.wal.agent;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ships WAL files to the repository on a few worker threads, at most one shipment per file
 * name at a time: a push request for a file already on its way waits for that shipment instead
 * of starting a second one. Files found through {@code .ready} flags get a marker in the spool
 * once the repository put has returned, which is what lets the launcher answer PostgreSQL's
 * archive_command without a JVM.
 */
final class SegmentShipper implements AutoCloseable {
    /** How long a file whose shipment failed is left to PostgreSQL's archiver before the agent tries again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final WalArchive archive;
    private final WalSpool spool;
    private final ReadyFiles ready;
    /** Compresses segments while PostgreSQL writes them; null when the agent watches no data directory. */
    private final WalTailFollower tail;
    private final AgentLog log;
    private final Clock clock;
    private final Runnable activity;
    private final ExecutorService workers;
    private final Map<WalFileName, CompletableFuture<WalArchive.Pushed>> inFlight = new ConcurrentHashMap<>();
    private final Map<WalFileName, Instant> failedUntil = new ConcurrentHashMap<>();
    /** Shipped from a .ready flag that PostgreSQL has not yet renamed to .done (its marker may be consumed already). */
    private final Set<WalFileName> shipped = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    SegmentShipper(WalArchive archive, WalSpool spool, ReadyFiles ready, WalTailFollower tail, AgentLog log, Clock clock, int workers,
                   Runnable activity) {
        this.archive = archive;
        this.spool = spool;
        this.ready = ready;
        this.tail = tail;
        this.log = log;
        this.clock = clock;
        this.activity = activity;
        this.workers = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("wal-ship-", 1).daemon().factory());
    }

    /** Queues the files PostgreSQL flags {@code .ready} now (in the order given) that are not shipped yet. */
    void offerAll(List<WalFileName> ready) {
        Set<WalFileName> waiting = new HashSet<>(ready);
        shipped.retainAll(waiting);
        failedUntil.keySet().retainAll(waiting);
        for (WalFileName name : ready) {
            offer(name);
        }
    }

    private void offer(WalFileName name) {
        if (stopping || shipped.contains(name) || inFlight.containsKey(name) || Files.exists(spool.marker(name))) {
            return;
        }
        Instant retry = failedUntil.get(name);
        if (retry != null && clock.instant().isBefore(retry)) {
            return;
        }
        Path file = ready.file(name);
        inFlight.computeIfAbsent(name, n -> CompletableFuture.supplyAsync(() -> shipReady(n, file), workers)
                .whenComplete((pushed, failure) -> inFlight.remove(n)));
    }

    /**
     * Archives {@code file} for a {@code push} request and returns once it is in the repository.
     * Joins the agent's own shipment when there is one, and consumes its marker, since PostgreSQL
     * is told about this file through the reply.
     *
     * @return whether the same content had been archived before this request (a repeated push)
     */
    boolean pushNow(Path file) {
        WalFileName name = WalFileName.parse(file.getFileName().toString());
        activity.run();
        Path marker = spool.marker(name);
        if (deleteIfExists(marker)) {
            // shipped already from the same pg_wal file, which PostgreSQL does not change once it is .ready
            return false;
        }
        CompletableFuture<WalArchive.Pushed> shipment = inFlight.get(name);
        if (shipment != null) {
            try {
                boolean already = shipment.join().alreadyArchived();
                deleteIfExists(marker);
                return already;
            } catch (RuntimeException joinedFailed) {
                // the agent's attempt failed (or read a recycled file): try again with the path asked for
            }
        }
        WalArchive.Pushed pushed = push(name, file, new AtomicReference<>());
        log.info((pushed.alreadyArchived() ? "already archived " : "pushed on request ") + name);
        failedUntil.remove(name);
        return pushed.alreadyArchived();
    }

    int inFlight() {
        return inFlight.size();
    }

    private WalArchive.Pushed shipReady(WalFileName name, Path file) {
        if (stopping) {
            throw new CellarException(ErrorCode.INTERRUPTED, "agent stopping");
        }
        activity.run();
        // PostgreSQL may have archived it meanwhile (and may recycle the file): skip it then
        if (!ready.isReady(name)) {
            throw new CellarException(ErrorCode.NOT_FOUND, name + " is no longer waiting to be archived");
        }
        long started = System.nanoTime();
        try {
            AtomicReference<SegmentTail.Ahead> ahead = new AtomicReference<>();
            WalArchive.Pushed pushed = push(name, file, ahead);
            Files.writeString(spool.marker(name), pushed.size() + "\n");
            shipped.add(name);
            failedUntil.remove(name);
            log.info(String.format(java.util.Locale.ROOT, "shipped %s%s (%d -> %d bytes) in %d ms%s", name,
                    pushed.alreadyArchived() ? " (already archived)" : "", pushed.size(), pushed.storedBytes(),
                    (System.nanoTime() - started) / 1_000_000,
                    ahead.get() == null ? "" : ", " + ahead.get().piecesAhead() + " of " + ahead.get().pieces() + " MiB compressed ahead"));
            activity.run();
            return pushed;
        } catch (CellarException e) {
            if (ready.isReady(name)) {
                failedUntil.put(name, clock.instant().plus(RETRY_AFTER));
                log.error("cannot ship " + name + ": " + e.getMessage() + (e.hint() == null ? "" : " (HINT: " + e.hint() + ")"));
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            failedUntil.put(name, clock.instant().plus(RETRY_AFTER));
            log.error("cannot ship " + name + ": " + e);
            throw new CellarException(ErrorCode.INTERNAL, "cannot ship " + name + ": " + e.getMessage());
        }
    }

    /** Pushes {@code file}, with the pieces compressed while PostgreSQL wrote it when they were followed ({@code ahead} says how many). */
    private WalArchive.Pushed push(WalFileName name, Path file, AtomicReference<SegmentTail.Ahead> ahead) {
        if (tail == null) {
            return archive.push(file);
        }
        return archive.push(file, content -> {
            ahead.set(tail.encodedAhead(name, content));
            return ahead.get() == null ? null : ahead.get().encoded();
        });
    }

    private static boolean deleteIfExists(Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            return false;
        }
    }

    /** Lets shipments under way finish (queued ones are dropped: PostgreSQL still has them). */
    @Override
    public void close() {
        stopping = true;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(2, TimeUnit.MINUTES)) {
                log.error("shipments still running after 2 minutes; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
