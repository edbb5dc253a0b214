package dev.cellar.wal;

import java.util.ArrayList;
import java.util.List;

/**
 * A timeline's ancestry, as its {@code .history} file tells it: each earlier timeline and the
 * LSN where the next one branched off. Timeline 1 has no history file and no ancestors.
 */
public record TimelineHistory(int timeline, List<Branch> ancestors) {

    /** An ancestor timeline and the LSN at which its child began. */
    public record Branch(int timeline, long switchLsn) {
    }

    public static TimelineHistory root(int timeline) {
        return new TimelineHistory(timeline, List.of());
    }

    /** Parses a history file: lines {@code <parent tli> <switch lsn> <reason>}, comments with '#'. */
    public static TimelineHistory parse(int timeline, String content) {
        List<Branch> ancestors = new ArrayList<>();
        for (String line : content.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            if (fields.length >= 2) {
                ancestors.add(new Branch(Integer.parseInt(fields[0]), Lsn.parse(fields[1])));
            }
        }
        return new TimelineHistory(timeline, List.copyOf(ancestors));
    }

    /** Whether {@code other} is this timeline or one of its ancestors. */
    public boolean includes(int other) {
        return other == timeline || ancestors.stream().anyMatch(b -> b.timeline() == other);
    }

    /** LSN where {@code tli} ends in this history (where its child began); MAX_VALUE for this timeline itself. */
    public long endOf(int tli) {
        return ancestors.stream().filter(b -> b.timeline() == tli).mapToLong(Branch::switchLsn).findFirst().orElse(Long.MAX_VALUE);
    }

    /**
     * The timeline whose file PostgreSQL reads for a segment: the newest timeline of this history
     * that had begun by the start of that segment (the file of the switch segment on the new
     * timeline carries the old timeline's WAL up to the switch point).
     */
    public int timelineForSegment(long segmentNumber, long segmentSize) {
        int chosen = ancestors.isEmpty() ? timeline : ancestors.get(0).timeline();
        long begin = 0;
        for (int i = 0; i < ancestors.size(); i++) {
            Branch branch = ancestors.get(i);
            if (begin / segmentSize <= segmentNumber) {
                chosen = branch.timeline();
            }
            begin = branch.switchLsn();
        }
        if (begin / segmentSize <= segmentNumber) {
            chosen = timeline;
        }
        return chosen;
    }
}
