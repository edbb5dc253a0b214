package dev.cellar.wal;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a receiver resumes, decided as {@code pg_receivewal} decides it: at the start of the
 * newest partial segment in the spool, or after the newest complete one, on that file's
 * timeline; with an empty spool, at the segment holding the slot's reserved position on the
 * server's timeline. A spool that ends on an older timeline of the server's history resumes
 * there up to the switch point, then on the child timeline, whose file of the switch segment
 * repeats the parent's WAL before the switch.
 *
 * @param timeline the timeline to ask the server for
 * @param lsn      the start, always at a segment boundary
 */
public record StreamStart(int timeline, long lsn) {

    /**
     * @param spool       WAL files in the spool
     * @param history     the server's timeline and its ancestry
     * @param fallbackLsn where to start when the spool has nothing of this history (slot or server position)
     */
    public static StreamStart choose(List<WalFileName> spool, TimelineHistory history, long fallbackLsn, long segmentSize) {
        Optional<WalFileName> newest = spool.stream()
                .filter(f -> f.kind() == WalFileName.Kind.SEGMENT || f.kind() == WalFileName.Kind.PARTIAL)
                .filter(f -> history.includes(f.timeline()))
                .max(Comparator.comparingLong((WalFileName f) -> f.segmentNumber(segmentSize)).thenComparingInt(WalFileName::timeline));
        if (newest.isEmpty()) {
            return new StreamStart(history.timeline(), fallbackLsn - fallbackLsn % segmentSize);
        }
        WalFileName file = newest.get();
        int timeline = file.timeline();
        long segment = file.kind() == WalFileName.Kind.PARTIAL ? file.segmentNumber(segmentSize) : file.segmentNumber(segmentSize) + 1;
        List<TimelineHistory.Branch> ancestors = history.ancestors();
        for (int i = 0; i < ancestors.size(); i++) {
            TimelineHistory.Branch branch = ancestors.get(i);
            if (branch.timeline() != timeline) {
                continue;
            }
            long switchSegment = branch.switchLsn() / segmentSize;
            if (segment < switchSegment) {
                break; // WAL of this timeline before its end is still to come
            }
            timeline = i + 1 < ancestors.size() ? ancestors.get(i + 1).timeline() : history.timeline();
            segment = switchSegment;
        }
        return new StreamStart(timeline, segment * segmentSize);
    }
}
