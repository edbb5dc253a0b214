package dev.cellar.wal.agent;

import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Follows the WAL segment PostgreSQL is writing, on its own thread, and compresses its pieces as
 * they are written ({@link SegmentTail}), so that shipping a segment once it is {@code .ready}
 * costs reading and comparing it, its last piece and the sealing: the push latency PostgreSQL's
 * archiver waits for. Everything it does is a hint; without it (or when it loses track) a segment
 * is compressed whole at the push, as before.
 */
final class WalTailFollower implements AutoCloseable {
    /** Segments above this size are not followed: a copy of the segment is kept in memory. */
    static final long LARGEST_SEGMENT = 64L * 1024 * 1024;
    /** Finished segments kept for their push; PostgreSQL's archiver takes them in order, so more means it is far behind. */
    private static final int FINISHED_KEPT = 2;
    private static final long LOOK_EVERY_MILLIS = 10;
    /** With no new piece for this long, pg_wal is searched again (a promotion starts a new timeline); so is a folder where nothing was found. */
    private static final long SEARCH_AFTER_IDLE_MILLIS = 2_000;

    private final Path pgWal;
    private final ZstdCodec codec;
    private final AgentLog log;
    private final Thread thread;
    private final Map<WalFileName, SegmentTail> finished = new TreeMap<>();
    private SegmentTail current;
    private long lastProgress;
    private long nextSearch;
    private volatile boolean closed;

    WalTailFollower(Path pgData, ZstdCodec codec, AgentLog log) {
        this.pgWal = pgData.resolve("pg_wal");
        this.codec = codec;
        this.log = log;
        this.thread = Thread.ofPlatform().name("wal-tail").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /**
     * The encoding of segment {@code name} made from its pieces compressed ahead (each checked
     * against {@code content}), or null when it was not followed.
     */
    SegmentTail.Ahead encodedAhead(WalFileName name, byte[] content) {
        SegmentTail tail;
        synchronized (this) {
            tail = finished.remove(name);
            if (tail == null && current != null && current.name().equals(name)) {
                // flagged .ready before this thread saw the next segment begin
                tail = current;
                current = null;
            }
        }
        return tail == null ? null : tail.encode(content);
    }

    private void run() {
        boolean failedBefore = false;
        while (!closed) {
            try {
                follow();
                failedBefore = false;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    // the agent is stopping: the interrupt closed the file being read
                    return;
                }
                // the file was recycled or removed under us, or is not what it seemed: search again
                synchronized (this) {
                    dropCurrent();
                }
                if (!failedBefore) {
                    log.info("following pg_wal: " + e + " (segments are compressed at their push until it is found again)");
                }
                failedBefore = true;
            }
            try {
                Thread.sleep(LOOK_EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void follow() throws IOException {
        SegmentTail tail;
        synchronized (this) {
            tail = current;
        }
        long now = System.currentTimeMillis();
        if (tail == null ? now >= nextSearch : now - lastProgress > SEARCH_AFTER_IDLE_MILLIS) {
            lastProgress = now;
            nextSearch = now + SEARCH_AFTER_IDLE_MILLIS;
            SegmentTail found = segmentBeingWritten(tail == null ? null : tail.name());
            if (found != null) {
                synchronized (this) {
                    dropCurrent();
                    current = found;
                }
                tail = found;
            }
            if (tail == null) {
                return;
            }
        }
        Path next = tail.nextFile();
        boolean complete = tail.isFollowedBy(next);
        if (tail.compressWrittenPieces(complete)) {
            lastProgress = now;
        }
        if (complete) {
            SegmentTail following = SegmentTail.startedAt(next, codec, LARGEST_SEGMENT);
            synchronized (this) {
                if (current == tail) {
                    finished.put(tail.name(), tail);
                    while (finished.size() > FINISHED_KEPT) {
                        finished.remove(finished.keySet().iterator().next()).release();
                    }
                    current = following;
                }
            }
            lastProgress = now;
        }
    }

    /**
     * The newest segment in pg_wal that PostgreSQL has begun (files above it are recycled ones
     * waiting for their turn), unless it is {@code following}'s; null when none is or it is that one.
     */
    private SegmentTail segmentBeingWritten(WalFileName following) throws IOException {
        List<WalFileName> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(pgWal)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (WalFileName.isWalFileName(name) && WalFileName.parse(name).kind() == WalFileName.Kind.SEGMENT) {
                    segments.add(WalFileName.parse(name));
                }
            }
        }
        segments.sort(Comparator.reverseOrder());
        for (WalFileName name : segments) {
            if (name.equals(following)) {
                return null;
            }
            SegmentTail tail = SegmentTail.startedAt(pgWal.resolve(name.name()), codec, LARGEST_SEGMENT);
            if (tail != null) {
                return tail;
            }
        }
        return null;
    }

    private void dropCurrent() {
        if (current != null) {
            current.release();
            current = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            dropCurrent();
            finished.values().forEach(SegmentTail::release);
            finished.clear();
        }
    }
}
