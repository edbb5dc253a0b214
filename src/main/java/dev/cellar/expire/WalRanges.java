package dev.cellar.expire;

import dev.cellar.wal.WalFileName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Compacts WAL file lists into ranges of consecutive segments per timeline, for printing. */
final class WalRanges {
    private WalRanges() {
    }

    /** Ranges of the given files (no history files), ordered by timeline then position; a gap starts a new range. */
    static List<RetentionPlan.WalRange> of(List<WalFileName> files, long segmentSize) {
        List<WalFileName> sorted = files.stream()
                .sorted(Comparator.comparingInt(WalFileName::timeline).thenComparing(f -> f.segmentNumber(segmentSize))
                        .thenComparing(WalFileName::name))
                .toList();
        List<RetentionPlan.WalRange> ranges = new ArrayList<>();
        WalFileName first = null;
        WalFileName last = null;
        int count = 0;
        for (WalFileName file : sorted) {
            boolean continues = last != null && last.timeline() == file.timeline()
                    && file.segmentNumber(segmentSize) <= last.segmentNumber(segmentSize) + 1;
            if (!continues && first != null) {
                ranges.add(new RetentionPlan.WalRange(first.timeline(), first.name(), last.name(), count));
                count = 0;
                first = null;
            }
            if (first == null) {
                first = file;
            }
            last = file;
            count++;
        }
        if (first != null) {
            ranges.add(new RetentionPlan.WalRange(first.timeline(), first.name(), last.name(), count));
        }
        return ranges;
    }
}
