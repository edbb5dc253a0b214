package dev.cellar.drill;

import dev.cellar.wal.WalFileName;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A hole in the archived WAL after the physical backup a drill restores: PostgreSQL ends recovery
 * quietly at the first segment restore_command cannot find, so a restore "to the latest" stops
 * there without an error and loses everything after it. The drill names the hole instead of
 * leaving it to a missing marker table or a long RPO.
 *
 * @param missing the first segment the archive lacks
 * @param before  the last segment recovery can reach (just before the hole)
 * @param newest  the newest segment the archive holds beyond the hole
 */
public record WalGap(WalFileName missing, WalFileName before, WalFileName newest) {

    /**
     * The first segment missing between {@code backupStart} and the newest archived segment, if any.
     * A {@code .partial} (streamed) counts as present; history files do not count.
     */
    public static Optional<WalGap> find(WalFileName backupStart, List<WalFileName> archived, long segmentSize) {
        long start = backupStart.segmentNumber(segmentSize);
        TreeMap<Long, WalFileName> present = new TreeMap<>();
        for (WalFileName file : archived) {
            if (file.kind() != WalFileName.Kind.SEGMENT && file.kind() != WalFileName.Kind.PARTIAL) {
                continue;
            }
            long number = file.segmentNumber(segmentSize);
            if (number >= start && file.timeline() >= backupStart.timeline()) {
                present.merge(number, file, (a, b) -> a.timeline() >= b.timeline() ? a : b);
            }
        }
        if (present.isEmpty()) {
            return Optional.empty();
        }
        WalFileName previous = null;
        for (long n = start; n <= present.lastKey(); n++) {
            WalFileName found = present.get(n);
            if (found == null) {
                int timeline = previous == null ? backupStart.timeline() : previous.timeline();
                return Optional.of(new WalGap(WalFileName.segment(timeline, n, segmentSize), previous, present.lastEntry().getValue()));
            }
            previous = found;
        }
        return Optional.empty();
    }

    /** One line for the drill's failures: what is missing, and what recovery to the latest loses because of it. */
    public String describe() {
        return "WAL segment " + missing.name() + " is missing from the repository: recovery to the latest stops at "
                + (before == null ? "the backup's start" : before.name()) + " although the archive holds WAL up to " + newest.name()
                + " (a gap; run 'cellar verify' and check archive_command / 'cellar wal' on the source)";
    }
}
