package dev.cellar.restore;

import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ProgressListener;
import dev.cellar.wal.Lsn;
import dev.cellar.wal.RecoveryChain;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.WalRecordReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Places a transaction-id or restore-point target in the archived WAL before anything is
 * restored. PostgreSQL stops at the first matching commit/abort (or restore point) it replays
 * after the backup became consistent, and refuses a target it met before that; so the backup
 * to use is the newest one whose end (stop LSN) precedes the first matching record after it.
 *
 * <p>Backups are considered newest first, and each one's WAL is read only from its own end up
 * to where the next newer backup's reading began (the oldest one's from its start): every WAL
 * file is read at most once (plus one shared segment per backup), and usually only the WAL after
 * the newest backup is read, which recovery would replay anyway.
 */
final class TargetLocator {
    private static final int READ_AHEAD = 3;

    /** What the WAL says about the target. */
    sealed interface Outcome {
    }

    /**
     * The target record, after the end of {@code backup} (the newest backup for which that is true).
     *
     * @param newer the next newer backup, whose end lies after the target (null when {@code backup} is the newest)
     */
    record Found(BackupManifest backup, WalRecordReader.Event record, WalFileName file, BackupManifest newer) implements Outcome {
    }

    /** The target record lies before the end of every backup: none can reach it. */
    record BeforeEveryBackup(WalRecordReader.Event record, WalFileName file, BackupManifest oldest) implements Outcome {
    }

    /** No such record in the WAL read, which was all intact: the target is not in the archive. */
    record Absent(WalFileName first, WalFileName last) implements Outcome {
    }

    /** The WAL could not tell (damaged records, prepared transactions whose ids could not be read): recovery must. */
    record Undecided(String why) implements Outcome {
    }

    private final WalArchive archive;
    private final RecoveryTarget target;
    private final ProgressListener progress;

    TargetLocator(WalArchive archive, RecoveryTarget target, ProgressListener progress) {
        this.archive = archive;
        this.target = target;
        this.progress = progress;
    }

    /**
     * @param newestFirst candidate backups, newest first
     * @param chainOf     the WAL files recovery from a backup reads, along the target's timeline
     */
    Outcome locate(List<BackupManifest> newestFirst, Function<BackupManifest, RecoveryChain> chainOf) {
        Predicate<WalRecordReader.Event> matches = matcher();
        long readUpToSegment = Long.MAX_VALUE;
        WalRecordReader.Event seenBefore = null;
        WalFileName seenBeforeIn = null;
        WalFileName first = null;
        WalFileName last = null;
        long damaged = 0;
        long unreadablePreparedEnds = 0;
        ExecutorService readers = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("wal-locate-", 1).daemon().factory());
        try {
            for (int i = 0; i < newestFirst.size(); i++) {
                BackupManifest backup = newestFirst.get(i);
                long segmentSize = backup.physical().walSegmentSize();
                long stop = Lsn.parse(backup.physical().stopLsn());
                // the oldest backup's WAL is read from its start, so a target inside it is told from one before it
                long fromSegment = i == newestFirst.size() - 1
                        ? WalFileName.parse(backup.physical().startWal()).segmentNumber(segmentSize) : stop / segmentSize;
                List<WalFileName> files = new ArrayList<>();
                for (WalFileName file : chainOf.apply(backup).files()) {
                    long segment = file.segmentNumber(segmentSize);
                    if (segment >= fromSegment && segment <= readUpToSegment) {
                        files.add(file);
                    }
                }
                readUpToSegment = fromSegment;
                if (files.isEmpty()) {
                    continue;
                }
                first = files.get(0);
                last = last == null ? files.get(files.size() - 1) : last;
                WalRecordReader reader = new WalRecordReader(segmentSize);
                List<WalRecordReader.Event> found = new ArrayList<>();
                long[] unreadable = {0};
                Deque<CompletableFuture<byte[]>> ahead = new ArrayDeque<>();
                int next = 0;
                for (int f = 0; f < files.size(); f++) {
                    while (next < files.size() && next < f + READ_AHEAD) {
                        WalFileName toRead = files.get(next++);
                        ahead.add(CompletableFuture.supplyAsync(() -> archive.read(toRead), readers));
                    }
                    WalFileName file = files.get(f);
                    progress.progress("locating " + target.describe() + " in the archived WAL (" + file + ")", f, files.size());
                    byte[] content = ahead.poll().join();
                    found.clear();
                    reader.read(file.segmentNumber(segmentSize) * segmentSize, content, event -> {
                        if (matches.test(event)) {
                            found.add(event);
                        } else if (event.xid() < 0 && (event.kind() == WalRecordReader.Kind.COMMIT_PREPARED
                                || event.kind() == WalRecordReader.Kind.ABORT_PREPARED)) {
                            unreadable[0]++;
                        }
                    });
                    for (WalRecordReader.Event event : found) {
                        if (event.lsn() >= stop) {
                            ahead.forEach(pending -> pending.cancel(false));
                            return new Found(backup, event, file, i == 0 ? null : newestFirst.get(i - 1));
                        }
                        if (seenBefore == null || seenBefore.lsn() > event.lsn()) {
                            // inside this backup (before its end): only an older backup can reach it
                            seenBefore = event;
                            seenBeforeIn = file;
                        }
                    }
                }
                ahead.forEach(pending -> pending.cancel(false));
                damaged += reader.damagedRecords();
                unreadablePreparedEnds += unreadable[0];
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            readers.shutdownNow();
        }
        if (damaged > 0) {
            return new Undecided(damaged + " WAL record(s) from " + first + " to " + last + " could not be read (damaged or unexpected)");
        }
        if (unreadablePreparedEnds > 0) {
            return new Undecided(unreadablePreparedEnds + " COMMIT/ROLLBACK PREPARED record(s) whose transaction ids could not be read");
        }
        if (seenBefore != null) {
            return new BeforeEveryBackup(seenBefore, seenBeforeIn, newestFirst.get(newestFirst.size() - 1));
        }
        return new Absent(first, last);
    }

    /** Whether a record is one recovery to this target stops at. */
    private Predicate<WalRecordReader.Event> matcher() {
        return switch (target.kind()) {
            case XID -> {
                // WAL holds 32-bit ids; a target given with its epoch (txid_current()) matches on the low 32 bits
                long xid = Long.parseLong(target.value()) & 0xFFFF_FFFFL;
                yield event -> event.xid() == xid && switch (event.kind()) {
                    case COMMIT, ABORT, COMMIT_PREPARED, ABORT_PREPARED -> true;
                    default -> false;
                };
            }
            case NAME -> event -> event.kind() == WalRecordReader.Kind.RESTORE_POINT && target.value().equals(event.name());
            default -> throw new IllegalStateException("only transaction ids and restore points are located in the WAL");
        };
    }
}
