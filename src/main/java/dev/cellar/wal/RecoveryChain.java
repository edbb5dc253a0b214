package dev.cellar.wal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The WAL files recovery will read, in order, from a backup's first segment along a timeline
 * history, as far as the archive holds them without a gap. It is how a restore knows, before
 * PostgreSQL starts, how far it can get and which files to fetch ahead.
 *
 * @param files        segment files in replay order (the last may be a {@code .partial})
 * @param firstMissing the first segment the archive lacks (on the timeline recovery would read it from)
 */
public record RecoveryChain(List<WalFileName> files, WalFileName firstMissing) {

    /** Walks the archive from {@code startSegment}; {@code archived} holds the names of archived files. */
    public static RecoveryChain walk(Set<String> archived, TimelineHistory history, long startSegment, long segmentSize) {
        List<WalFileName> files = new ArrayList<>();
        for (long segment = startSegment; ; segment++) {
            WalFileName found = find(archived, history, segment, segmentSize);
            if (found == null) {
                return new RecoveryChain(files, WalFileName.segment(history.timelineForSegment(segment, segmentSize), segment, segmentSize));
            }
            files.add(found);
            if (found.kind() == WalFileName.Kind.PARTIAL) {
                return new RecoveryChain(files, null);
            }
        }
    }

    /**
     * Like PostgreSQL, tries the newest timeline that had begun by this segment first, then
     * older ones whose WAL still covers it; a partial segment counts when the full one is missing.
     */
    private static WalFileName find(Set<String> archived, TimelineHistory history, long segment, long segmentSize) {
        List<Integer> candidates = new ArrayList<>();
        candidates.add(history.timelineForSegment(segment, segmentSize));
        history.ancestors().stream().map(TimelineHistory.Branch::timeline)
                .filter(tli -> history.endOf(tli) / segmentSize >= segment && !candidates.contains(tli))
                .sorted(Comparator.reverseOrder())
                .forEach(candidates::add);
        for (int tli : candidates) {
            WalFileName name = WalFileName.segment(tli, segment, segmentSize);
            if (archived.contains(name.name())) {
                return name;
            }
            if (archived.contains(name.name() + ".partial")) {
                return WalFileName.parse(name.name() + ".partial");
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    public WalFileName last() {
        return files.isEmpty() ? null : files.get(files.size() - 1);
    }

    /** Whether the chain covers the segment holding {@code lsn}. */
    public boolean reaches(long lsn, long segmentSize) {
        WalFileName last = last();
        return last != null && last.segmentNumber(segmentSize) >= lsn / segmentSize;
    }
}
