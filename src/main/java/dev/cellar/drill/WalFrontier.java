package dev.cellar.drill;

import dev.cellar.wal.Lsn;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.WalRecordReader;
import java.time.Instant;
import java.util.HashSet;
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
     * The newest WAL file the archive holds now after the restore point's segment without a gap: the
     * streamed partial segment if there is one, else the newest finished segment; with its content
     * as read now. The disaster moment is taken right after this read: its content is what the
     * archive held then, whatever the reading of it later finds.
     */
    record Fetched(WalFileName file, long segmentStart, byte[] content, WalFileName restorePointFile, long segmentSize) {
    }

    static Fetched fetch(WalArchive archive, WalFileName restorePointFile, long segmentSize) {
        Set<String> names = new HashSet<>();
        archive.list().forEach(f -> names.add(f.name()));
        int timeline = restorePointFile.timeline();
        long last = restorePointFile.segmentNumber(segmentSize);
        while (names.contains(WalFileName.segment(timeline, last + 1, segmentSize).name())) {
            last++;
        }
        WalFileName partial = WalFileName.parse(WalFileName.segment(timeline, last + 1, segmentSize).name() + ".partial");
        WalFileName newest = names.contains(partial.name()) ? partial : WalFileName.segment(timeline, last, segmentSize);
        long start = newest.segmentNumber(segmentSize) * segmentSize;
        return new Fetched(newest, start, archive.read(newest), restorePointFile, segmentSize);
    }

    /**
     * The newest commit in what {@link #fetch} read, else in the finished segments before it back to
     * the restore point's (those do not change once archived); null when none holds a commit.
     */
    static WalFrontier of(WalArchive archive, Fetched fetched) {
        WalFrontier found = newestCommit(fetched.file(), fetched.segmentStart(), fetched.content(), fetched.segmentSize());
        long first = fetched.restorePointFile().segmentNumber(fetched.segmentSize());
        long segment = fetched.file().segmentNumber(fetched.segmentSize()) - 1;
        for (; found == null && segment >= first; segment--) {
            WalFileName file = WalFileName.segment(fetched.restorePointFile().timeline(), segment, fetched.segmentSize());
            found = newestCommit(file, segment * fetched.segmentSize(), archive.read(file), fetched.segmentSize());
        }
        return found;
    }

    private static WalFrontier newestCommit(WalFileName file, long segmentStart, byte[] content, long segmentSize) {
        WalRecordReader.Event[] newest = new WalRecordReader.Event[1];
        new WalRecordReader(segmentSize).read(segmentStart, content, event -> {
            if ((event.kind() == WalRecordReader.Kind.COMMIT || event.kind() == WalRecordReader.Kind.COMMIT_PREPARED)
                    && (newest[0] == null || event.lsn() > newest[0].lsn())) {
                newest[0] = event;
            }
        });
        return newest[0] == null ? null : new WalFrontier(Lsn.format(newest[0].lsn()), newest[0].time(), file.name());
    }
}
