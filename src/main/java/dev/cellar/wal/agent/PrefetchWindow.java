package dev.cellar.wal.agent;

import dev.cellar.wal.WalFileName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which segments the agent keeps fetched ahead of recovery: the next {@code size} segments of
 * the timeline after the last one PostgreSQL asked for, and never past the first one the archive
 * does not have. Bounds the prefetch folder to {@code size} segments.
 *
 * @param size        segments to keep ahead
 * @param segmentSize the cluster's WAL segment size in bytes
 */
public record PrefetchWindow(int size, long segmentSize) {

    public PrefetchWindow {
        if (size < 0) {
            throw new IllegalArgumentException("window size " + size);
        }
    }

    /**
     * What to do next.
     *
     * @param fetch   segments to fetch, nearest first
     * @param discard fetched files recovery will not ask for (outside the window)
     */
    public record Plan(List<WalFileName> fetch, List<WalFileName> discard) {
    }

    /**
     * @param cursor       the last segment recovery asked for (or consumed from the prefetch folder)
     * @param present      files now in the prefetch folder
     * @param inFlight     segments being fetched
     * @param endOfArchive the first segment found missing since the cursor last moved, or null
     */
    public Plan plan(WalFileName cursor, Set<WalFileName> present, Set<WalFileName> inFlight, WalFileName endOfArchive) {
        List<WalFileName> wanted = wanted(cursor, endOfArchive);
        List<WalFileName> fetch = new ArrayList<>();
        for (WalFileName name : wanted) {
            if (!present.contains(name) && !inFlight.contains(name)) {
                fetch.add(name);
            }
        }
        List<WalFileName> discard = new ArrayList<>();
        for (WalFileName name : present) {
            if (!wanted.contains(name)) {
                discard.add(name);
            }
        }
        discard.sort(null);
        return new Plan(fetch, discard);
    }

    private List<WalFileName> wanted(WalFileName cursor, WalFileName endOfArchive) {
        List<WalFileName> wanted = new ArrayList<>();
        if (cursor == null || cursor.kind() != WalFileName.Kind.SEGMENT) {
            return wanted;
        }
        long first = cursor.segmentNumber(segmentSize) + 1;
        for (long n = first; n < first + size; n++) {
            WalFileName name = WalFileName.segment(cursor.timeline(), n, segmentSize);
            if (endOfArchive != null && endOfArchive.timeline() == name.timeline()
                    && endOfArchive.kind() == WalFileName.Kind.SEGMENT && name.compareTo(endOfArchive) >= 0) {
                break;
            }
            wanted.add(name);
        }
        return wanted;
    }
}
