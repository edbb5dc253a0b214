package dev.cellar.restore;

import dev.cellar.lifecycle.erasure.ErasureReapplication;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a point-in-time restore did and where recovery stopped.
 *
 * @param backupChoice    why this backup (for a transaction id or restore point: where its record lies in the WAL)
 * @param targetLsn       where the target's record lies in the WAL, when Cellar located it there; else null
 * @param recoveriesStarted how many times the server was started to recover (1 with --start, unless the WAL
 *                        could not place the target and an older backup had to be tried; 0 without --start)
 * @param walFirst        first WAL file recovery needs
 * @param walLast         last WAL file the archive holds without a gap on the way to the target
 * @param walLastArchived when that file was archived: the latest commit reachable is no later than this
 * @param prefetched      WAL files fetched ahead of PostgreSQL
 * @param state           promoted / paused at the target / shut down at the target / not started
 * @param erasures        what re-applying the erasure ledger did on the promoted server; null when it could not run
 * @param erasuresPending erasures of the ledger still to re-apply by hand ('cellar gdpr reapply') because the server
 *                        was not promoted by this restore; 0 when they were re-applied
 */
public record PitrResult(String backupId, String backupType, Instant backupFinished, String backupChoice, String targetLsn,
                         int recoveriesStarted, String target, String targetTimeline,
                         Path dataDir, long files, long bytes, Duration filesDuration,
                         String walFirst, String walLast, Instant walLastArchived, int prefetched,
                         String restoreCommand, String state, String replayedLsn, Instant lastReplayedCommit,
                         Integer timeline, String stopMessage, Duration recoveryDuration, Duration duration,
                         List<String> warnings, ErasureReapplication erasures, int erasuresPending) {

    public PitrResult(String backupId, String backupType, Instant backupFinished, String backupChoice, String targetLsn,
                      int recoveriesStarted, String target, String targetTimeline,
                      Path dataDir, long files, long bytes, Duration filesDuration,
                      String walFirst, String walLast, Instant walLastArchived, int prefetched,
                      String restoreCommand, String state, String replayedLsn, Instant lastReplayedCommit,
                      Integer timeline, String stopMessage, Duration recoveryDuration, Duration duration,
                      List<String> warnings) {
        this(backupId, backupType, backupFinished, backupChoice, targetLsn, recoveriesStarted, target, targetTimeline, dataDir, files, bytes,
                filesDuration, walFirst, walLast, walLastArchived, prefetched, restoreCommand, state, replayedLsn, lastReplayedCommit, timeline,
                stopMessage, recoveryDuration, duration, warnings, null, 0);
    }

    /** The same result, with the erasure ledger re-applied (or left pending) and what to warn about. */
    public PitrResult with(ErasureReapplication reapplied, int pending, List<String> moreWarnings) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(moreWarnings);
        return new PitrResult(backupId, backupType, backupFinished, backupChoice, targetLsn, recoveriesStarted, target, targetTimeline, dataDir,
                files, bytes, filesDuration, walFirst, walLast, walLastArchived, prefetched, restoreCommand, state, replayedLsn,
                lastReplayedCommit, timeline, stopMessage, recoveryDuration, duration, all, reapplied, pending);
    }
}
