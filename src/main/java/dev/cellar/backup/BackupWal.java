package dev.cellar.backup;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Puts the WAL a backup needs to become consistent (from its start segment to its stop segment)
 * into the repository's WAL archive, taken from {@code pg_wal}. Without archiving the server may
 * recycle a segment while a long backup runs, so complete segments are copied as the backup goes
 * ({@link #archiveCompleted}), and the rest after {@code pg_backup_stop}. Pushing is idempotent:
 * the server's own archive_command may push the same segments at the same time.
 */
final class BackupWal {
    private final WalArchive archive;
    private final Path pgWal;
    private final int timeline;
    private final long segmentSize;
    private final WalFileName start;
    private final Set<String> done = new HashSet<>();
    private long nextSegment;

    BackupWal(WalArchive archive, Path dataDir, int timeline, String startWal, long segmentSize) {
        this.archive = archive;
        this.pgWal = dataDir.resolve("pg_wal");
        this.timeline = timeline;
        this.segmentSize = segmentSize;
        this.start = WalFileName.parse(startWal);
        this.nextSegment = start.segmentNumber(segmentSize);
    }

    /** Archives every segment from the start up to, not including, {@code currentWal} (still being written). */
    synchronized void archiveCompleted(String currentWal) {
        long current = WalFileName.parse(currentWal).segmentNumber(segmentSize);
        while (nextSegment < current) {
            archiveSegment(WalFileName.segment(timeline, nextSegment, segmentSize));
            nextSegment++;
        }
    }

    /** Archives the rest of the range, {@code stopWal} included, and the timeline's history file. */
    synchronized int archiveThrough(String stopWal) {
        WalFileName stop = WalFileName.parse(stopWal);
        if (stop.timeline() != timeline) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "the backup started on timeline " + timeline + " but stopped on "
                    + stop.timeline(), "the server was promoted during the backup; take the backup again");
        }
        archiveCompleted(WalFileName.segment(timeline, stop.segmentNumber(segmentSize) + 1, segmentSize).name());
        if (timeline > 1) {
            Path history = pgWal.resolve(WalFileName.historyName(timeline));
            if (Files.exists(history)) {
                archive.push(history);
            }
        }
        return done.size();
    }

    private void archiveSegment(WalFileName segment) {
        Path file = pgWal.resolve(segment.name());
        try {
            archive.push(file);
        } catch (CellarException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            if (!archive.contains(segment)) {
                throw new CellarException(ErrorCode.NOT_FOUND, "WAL segment " + segment + ", which this backup needs, was removed from "
                        + pgWal + " before Cellar could archive it, and is not in the archive",
                        "turn on archive_mode with 'cellar wal push' as archive_command (or raise wal_keep_size) and take the "
                                + "backup again");
            }
        }
        done.add(segment.name());
    }
}
