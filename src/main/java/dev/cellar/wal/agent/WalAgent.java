package dev.cellar.wal.agent;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The resident WAL agent: one process per spool folder that keeps the repository open (the key
 * derivation is paid once), ships WAL files as soon as PostgreSQL flags them {@code .ready}, so
 * its archiver finds them done, answers push/get requests on a socket, and fetches WAL ahead of
 * recovery. Every piece of state it keeps on disk is a hint: losing the agent loses nothing,
 * because PostgreSQL keeps each segment until an archive_command for it has exited 0.
 */
public final class WalAgent {
    /** How long a marker of a file PostgreSQL no longer waits for is kept (covers a slow archiver's last step). */
    static final Duration STALE_MARKER_AGE = Duration.ofMinutes(2);
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

    /**
     * @param pgData           data directory whose {@code archive_status} is watched; null to only serve requests
     * @param shipWorkers      files shipped at once
     * @param prefetchSegments segments fetched ahead of recovery
     * @param idleLimit        exit after this long without work; zero for never
     * @param poll             how often {@code archive_status} is looked at
     * @param prefetchAfter    start fetching ahead after this segment (an agent started by {@code wal get}); null for none
     * @param servesRecovery   the spool is a restore's: it is never created by the agent, lives as long as its
     *                         {@link RecoveryLease} and is deleted, with all WAL in it, when the agent exits
     */
    public record Settings(Path pgData, int shipWorkers, int prefetchSegments, Duration idleLimit, Duration poll, WalFileName prefetchAfter,
                           boolean servesRecovery) {
    }

    /** How a run ended. */
    public enum Outcome { ALREADY_RUNNING, IDLE, STOPPED, DATA_DIRECTORY_GONE, SPOOL_GONE, LEASE_ENDED }

    /** How often a restore's agent reads its lease: an owner killed by SIGKILL is noticed this fast. */
    private static final Duration LEASE_CHECK_EVERY = Duration.ofMillis(200);

    private final WalArchive archive;
    private final WalSpool spool;
    private final Settings settings;
    private final Clock clock;
    private final AgentLog log;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile Instant lastActivity;
    private volatile String leaseEnd;

    public WalAgent(WalArchive archive, WalSpool spool, Settings settings, Clock clock) {
        this.archive = archive;
        this.spool = spool;
        this.settings = settings;
        this.clock = clock;
        this.log = new AgentLog(spool.log(), clock);
    }

    /** Whether an agent holds this spool (runs, or is starting). */
    public static boolean isRunning(WalSpool spool) {
        return AgentLock.isHeld(spool.lockFile());
    }

    /** The pid of the agent holding this spool, or -1. */
    public static long runningPid(WalSpool spool) {
        return isRunning(spool) ? AgentLock.pid(spool.lockFile()).orElse(-1) : -1;
    }

    /**
     * Runs until idle, stopped ({@link #stop}), the data directory or spool disappears, or (for a
     * restore's spool) its lease ends; a restore's spool is then deleted.
     */
    public Outcome run() {
        if (settings.servesRecovery() && RecoveryLease.readFrom(spool.root()).isEmpty()) {
            // the restore's spool is gone (or going): there is nothing to serve, and it must not come back
            finished.countDown();
            return Outcome.SPOOL_GONE;
        }
        Outcome outcome = null;
        try (AgentLock lock = AgentLock.tryAcquire(spool.lockFile())) {
            if (lock == null) {
                finished.countDown();
                return Outcome.ALREADY_RUNNING;
            }
            outcome = runLocked();
            if (settings.servesRecovery()) {
                // still holding the lock, so no second agent takes over a folder on its way out
                spool.delete();
            }
            return outcome;
        } catch (IOException e) {
            if (settings.servesRecovery() && !Files.isDirectory(spool.root())) {
                return Outcome.SPOOL_GONE;
            }
            throw new CellarException(ErrorCode.INTERNAL, "WAL agent cannot use its spool folder " + spool.root() + ": " + e.getMessage(),
                    "check that the folder belongs to the user running the agent");
        } finally {
            finished.countDown();
        }
    }

    /** Why a restore's agent stopped on its own (its lease ended), or null. */
    public String leaseEnd() {
        return leaseEnd;
    }

    /** Asks a running agent to finish its work under way and return; waits up to {@code wait}. */
    public void stop(Duration wait) {
        stopRequested = true;
        try {
            finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Outcome runLocked() throws IOException {
        touch();
        // one AES-GCM call per segment is too few for the JIT ever to compile it: measured, sealing a
        // segment's 1.3 MB body took 18 ms in plain Java for as long as the agent ran, 0.5 ms compiled
        JitWarmUp.start();
        ReadyFiles ready = settings.pgData() == null ? null : new ReadyFiles(settings.pgData());
        emptyPrefetchFolder();
        WalTailFollower tail = ready == null || settings.servesRecovery() ? null : new WalTailFollower(settings.pgData(), archive.codec(), log);
        SegmentShipper shipper = new SegmentShipper(archive, spool, ready, tail, log, clock, settings.shipWorkers(), this::touch);
        Prefetcher prefetcher = new Prefetcher(archive, spool, log, settings.prefetchSegments(), 2, this::touch);
        AgentServer server = new AgentServer(spool.socket(), request -> handle(request, shipper, prefetcher), log);
        Outcome outcome;
        try {
            server.start();
            if (tail != null) {
                tail.start();
            }
            log.info("WAL agent started on " + spool.socket() + (ready == null ? " (no data directory to watch)"
                    : ", watching " + settings.pgData().resolve("pg_wal/archive_status")));
            if (settings.prefetchAfter() != null) {
                prefetcher.startAfter(settings.prefetchAfter());
            }
            try (ReadyFlagWatch flags = ReadyFlagWatch.on(ready == null ? null : settings.pgData().resolve("pg_wal/archive_status"))) {
                outcome = loop(ready, shipper, prefetcher, flags);
            }
        } finally {
            // stop taking requests first, then let shipments under way reach the repository
            server.close();
            shipper.close();
            if (tail != null) {
                tail.close();
            }
            prefetcher.close();
        }
        log.info("WAL agent stopped (" + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (leaseEnd == null ? "" : ": " + leaseEnd) + ")");
        return outcome;
    }

    private Outcome loop(ReadyFiles ready, SegmentShipper shipper, Prefetcher prefetcher, ReadyFlagWatch flags) {
        Instant nextSweep = clock.instant();
        Instant nextLeaseCheck = clock.instant();
        boolean owned = false;
        while (!stopRequested) {
            // a restore's spool is deleted with its drill; an agent serving it has nothing left to do
            if (!Files.isDirectory(spool.root())) {
                return Outcome.SPOOL_GONE;
            }
            if (settings.servesRecovery() && !clock.instant().isBefore(nextLeaseCheck)) {
                // read each time: 'wal get' rewrites it as ownerless when the restore that owned it died
                RecoveryLease lease = RecoveryLease.readFrom(spool.root()).orElse(null);
                if (lease == null) {
                    return Outcome.SPOOL_GONE;
                }
                leaseEnd = lease.endReason();
                if (leaseEnd != null) {
                    return Outcome.LEASE_ENDED;
                }
                owned = lease.owned();
                nextLeaseCheck = clock.instant().plus(LEASE_CHECK_EVERY);
            }
            if (ready != null) {
                if (!Files.isDirectory(settings.pgData())) {
                    return Outcome.DATA_DIRECTORY_GONE;
                }
                shipper.offerAll(ready.list());
                if (!clock.instant().isBefore(nextSweep)) {
                    sweepStaleMarkers(ready);
                    nextSweep = clock.instant().plus(SWEEP_EVERY);
                }
            }
            prefetcher.tick();
            if (shipper.inFlight() > 0 || prefetcher.inFlight() > 0) {
                touch();
            } else if (!owned && !settings.idleLimit().isZero() && clock.instant().isAfter(lastActivity.plus(settings.idleLimit()))) {
                // a restore that owns the spool decides when it ends, however long its files take to restore
                return Outcome.IDLE;
            }
            try {
                flags.await(settings.poll());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.STOPPED;
            }
        }
        return Outcome.STOPPED;
    }

    private AgentReply handle(AgentRequest request, SegmentShipper shipper, Prefetcher prefetcher) {
        touch();
        try {
            return switch (request) {
                case AgentRequest.Push push -> AgentReply.ok(shipper.pushNow(push.file()) ? AgentReply.ALREADY_ARCHIVED : "");
                case AgentRequest.Get get -> prefetcher.get(get.name(), get.destination());
                case AgentRequest.Stop stop -> {
                    stopRequested = true;
                    yield AgentReply.ok(Integer.toString(prefetcher.prefetched()));
                }
            };
        } catch (CellarException e) {
            log.error(request.line() + ": " + e.getMessage());
            return AgentReply.error(e);
        } catch (RuntimeException e) {
            log.error(request.line() + ": " + e);
            return AgentReply.error(ErrorCode.INTERNAL, "WAL agent failed: " + e);
        } finally {
            touch();
        }
    }

    /**
     * Markers PostgreSQL will never ask about: its file is no longer {@code .ready} (archived
     * through another path, or recycled). Kept for a while in case the archiver is between
     * asking and renaming the flag.
     */
    private void sweepStaleMarkers(ReadyFiles ready) {
        Instant cutoff = clock.instant().minus(STALE_MARKER_AGE);
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(spool.pushedDir())) {
            for (Path marker : markers) {
                String name = marker.getFileName().toString();
                if (WalFileName.isWalFileName(name) && !ready.isReady(WalFileName.parse(name))
                        && Files.getLastModifiedTime(marker).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(marker);
                }
            }
        } catch (IOException e) {
            log.error("cannot sweep markers in " + spool.pushedDir() + ": " + e.getMessage());
        }
    }

    private void emptyPrefetchFolder() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spool.fetchedDir())) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void touch() {
        lastActivity = clock.instant();
    }
}
