package dev.cellar.drill;

import dev.cellar.wal.Lsn;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.WalRecordReader;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How far the WAL archive reached at the disaster moment: the newest commit it held without a
 * gap after the drill's restore point, in a finished segment or in the partial segment a
 * {@code wal stream} ships. The drill recovers the "latest" copy to exactly this commit, so WAL
 * archived after the disaster (the segment its heartbeat was in, pushed out later by the drill's
 * own restores or by the application) cannot make the RPO look better than it was.
 *
 * @param lsn        the newest commit record archived at the disaster moment (a recovery_target_lsn, inclusive)
 * @param commitTime that commit's time
 * @param file       the WAL file it is in (a segment, or a {@code .partial})
 */
public record WalFrontier(String lsn, Instant commitTime, String file) {

    /**
     * Reads the frontier from the archive as it is now (call it at the disaster moment).
     *
     * @param restorePointFile the segment holding the drill's restore point, archived before the disaster
     * @return the frontier, or null when no commit after the restore point's segment start could be found
     */
    static WalFrontier of(WalArchive archive, WalFileName restorePointFile, long segmentSize) {
        List<WalFileName> listed = archive.list();
        Set<String> names = new HashSet<>();
        listed.forEach(f -> names.add(f.name()));
        int timeline = restorePointFile.timeline();
        long first = restorePointFile.segmentNumber(segmentSize);
        long last = first;
        while (names.contains(WalFileName.segment(timeline, last + 1, segmentSize).name())) {
            last++;
        }
        // 1. a partial segment right after the last finished one holds the newest commits, when streaming
        WalFileName partial = WalFileName.parse(WalFileName.segment(timeline, last + 1, segmentSize).name() + ".partial");
        if (names.contains(partial.name())) {
            WalFrontier found = newestCommit(archive, partial, (last + 1) * segmentSize, segmentSize);
            if (found != null) {
                return found;
            }
        }
        // 2. else the newest finished segment with a commit in it, back to the restore point's
        for (long segment = last; segment >= first; segment--) {
            WalFileName file = WalFileName.segment(timeline, segment, segmentSize);
            WalFrontier found = newestCommit(archive, file, segment * segmentSize, segmentSize);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static WalFrontier newestCommit(WalArchive archive, WalFileName file, long segmentStart, long segmentSize) {
        WalRecordReader.Event[] newest = new WalRecordReader.Event[1];
        new WalRecordReader(segmentSize).read(segmentStart, archive.read(file), event -> {
            if ((event.kind() == WalRecordReader.Kind.COMMIT || event.kind() == WalRecordReader.Kind.COMMIT_PREPARED)
                    && (newest[0] == null || event.lsn() > newest[0].lsn())) {
                newest[0] = event;
            }
        });
        return newest[0] == null ? null : new WalFrontier(Lsn.format(newest[0].lsn()), newest[0].time(), file.name());
    }
}
