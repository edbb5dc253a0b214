package dev.cellar.wal.agent;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code get} requests and keeps the next segments of the timeline fetched into
 * {@code <spool>/fetched/}, where the launcher hands them to restore_command without a JVM.
 * It learns how far recovery got from the requests and from files that disappear from the
 * prefetch folder (the launcher moved them into pg_wal).
 */
final class Prefetcher implements AutoCloseable {
    private static final long MIN_SEGMENT = 1L << 20;
    private static final long MAX_SEGMENT = 1L << 30;

    private final WalArchive archive;
    private final WalSpool spool;
    private final AgentLog log;
    private final int windowSize;
    private final Runnable activity;
    private final ExecutorService workers;
    private final Map<WalFileName, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    /** Files this agent put into the prefetch folder and has not seen consumed or discarded. */
    private final Set<WalFileName> placed = ConcurrentHashMap.newKeySet();
    private WalFileName cursor;
    private WalFileName endOfArchive;
    private long segmentSize = WalFileName.DEFAULT_SEGMENT_SIZE;
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicInteger prefetched = new java.util.concurrent.atomic.AtomicInteger();

    Prefetcher(WalArchive archive, WalSpool spool, AgentLog log, int windowSize, int workers, Runnable activity) {
        this.archive = archive;
        this.spool = spool;
        this.log = log;
        this.windowSize = windowSize;
        this.activity = activity;
        this.workers = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("wal-fetch-", 1).daemon().factory());
    }

    /** Writes one WAL file to {@code destination}, from the prefetch folder when it is there, and moves the window. */
    AgentReply get(WalFileName name, Path destination) {
        activity.run();
        CompletableFuture<Boolean> fetching = inFlight.get(name);
        if (fetching != null) {
            fetching.exceptionally(e -> false).join();
        }
        Path fetched = spool.fetched(name);
        if (Files.exists(fetched) && moveInto(fetched, destination)) {
            placed.remove(name);
            advance(name, sizeOf(destination));
            return AgentReply.ok("");
        }
        WalArchive.Fetched result = archive.fetch(name, destination);
        switch (result) {
            case FOUND -> advance(name, sizeOf(destination));
            case FOUND_PARTIAL, MISSING -> noteEnd(name);
        }
        return switch (result) {
            case FOUND -> AgentReply.ok("");
            case FOUND_PARTIAL -> AgentReply.ok(AgentReply.FROM_PARTIAL);
            case MISSING -> AgentReply.missing();
        };
    }

    /** Starts prefetching after {@code name} without a request (an agent started by a {@code wal get}). */
    void startAfter(WalFileName name) {
        advance(name, -1);
    }

    /** Notices consumed files and tops the window up; called from the agent's loop. */
    synchronized void tick() {
        if (cursor == null) {
            return;
        }
        for (WalFileName name : Set.copyOf(placed)) {
            if (!Files.exists(spool.fetched(name))) {
                placed.remove(name);
                if (name.timeline() == cursor.timeline() && name.compareTo(cursor) > 0) {
                    cursor = name;
                    endOfArchive = null;
                }
            }
        }
        PrefetchWindow.Plan plan = new PrefetchWindow(windowSize, segmentSize).plan(cursor, present(), inFlight.keySet(), endOfArchive);
        for (WalFileName name : plan.discard()) {
            placed.remove(name);
            deleteQuietly(spool.fetched(name));
        }
        for (WalFileName name : plan.fetch()) {
            if (stopping) {
                return;
            }
            inFlight.computeIfAbsent(name, n -> CompletableFuture.supplyAsync(() -> prefetch(n), workers)
                    .whenComplete((found, failure) -> inFlight.remove(n)));
        }
    }

    int inFlight() {
        return inFlight.size();
    }

    /** WAL files fetched ahead so far. */
    int prefetched() {
        return prefetched.get();
    }

    private synchronized void advance(WalFileName name, long fileSize) {
        if (name.kind() != WalFileName.Kind.SEGMENT) {
            return;
        }
        if (fileSize >= MIN_SEGMENT && fileSize <= MAX_SEGMENT && Long.bitCount(fileSize) == 1) {
            segmentSize = fileSize;
        }
        if (cursor == null || name.timeline() != cursor.timeline() || name.compareTo(cursor) > 0) {
            cursor = name;
            endOfArchive = null;
        }
    }

    private synchronized void noteEnd(WalFileName name) {
        if (name.kind() == WalFileName.Kind.SEGMENT && cursor != null && name.timeline() == cursor.timeline() && name.compareTo(cursor) > 0) {
            endOfArchive = name;
        }
    }

    private boolean prefetch(WalFileName name) {
        if (stopping) {
            return false;
        }
        activity.run();
        byte[] content;
        try {
            content = archive.read(name);
        } catch (CellarException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                noteEnd(name);
            } else {
                log.error("cannot prefetch " + name + ": " + e.getMessage());
            }
            return false;
        }
        Path temp = spool.fetchedTemp(name);
        try {
            Files.write(temp, content);
            Files.move(temp, spool.fetched(name), StandardCopyOption.ATOMIC_MOVE);
            placed.add(name);
            prefetched.incrementAndGet();
            activity.run();
            return true;
        } catch (IOException e) {
            deleteQuietly(temp);
            log.error("cannot write prefetched " + name + ": " + e.getMessage());
            return false;
        }
    }

    private Set<WalFileName> present() {
        Set<WalFileName> present = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spool.fetchedDir())) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (WalFileName.isWalFileName(name)) {
                    present.add(WalFileName.parse(name));
                }
            }
        } catch (IOException e) {
            // an unreadable folder prefetches nothing; requests still work
        }
        return present;
    }

    /** Moves a prefetched file into pg_wal; false if it vanished meanwhile (the launcher took it). */
    private static boolean moveInto(Path fetched, Path destination) {
        try {
            try {
                Files.move(fetched, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // another filesystem: copy beside the destination, then rename, so PostgreSQL never sees half a file
                Path temp = destination.resolveSibling(destination.getFileName() + ".cellar-tmp");
                Files.copy(fetched, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.delete(fetched);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover prefetched file is only disk space; the next agent discards it
        }
    }

    /** Stops fetching and empties the prefetch folder: a later recovery may follow another path. */
    @Override
    public void close() {
        stopping = true;
        workers.shutdown();
        try {
            workers.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spool.fetchedDir())) {
            for (Path file : files) {
                deleteQuietly(file);
            }
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
