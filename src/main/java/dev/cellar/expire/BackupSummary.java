package dev.cellar.expire;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.storage.Retention;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * What retention needs to know about one backup, taken from its manifest: when it finished, what
 * kind it is, for a physical backup which WAL it needs, and which chunks it references (to
 * estimate what deleting it frees).
 *
 * @param database for a logical backup the database it dumped; for a physical one the cluster's
 *                 source as recorded
 * @param wal      for a physical backup, its WAL positions; null for a logical one
 * @param lock     the WORM retention the backup was written under, as its manifest records it; null when unlocked
 */
public record BackupSummary(String id, String kind, String database, Instant finishedAt, WalNeeds wal, Set<String> chunkIds,
                            Retention lock) {

    /** An unlocked backup. */
    public BackupSummary(String id, String kind, String database, Instant finishedAt, WalNeeds wal, Set<String> chunkIds) {
        this(id, kind, database, finishedAt, wal, chunkIds, null);
    }

    public BackupSummary {
        chunkIds = chunkIds == null ? Set.of() : Set.copyOf(chunkIds);
        if (BackupManifest.KIND_PHYSICAL.equals(kind) && wal == null) {
            throw new IllegalArgumentException("physical backup " + id + " has no WAL positions");
        }
    }

    /**
     * The WAL a physical backup needs: every file from {@code startWal} to {@code stopWal} on its
     * timeline to become consistent, and everything after that to roll forward.
     *
     * @param type     {@code full} or {@code incr}
     * @param parentId for an incremental, the backup it reused unchanged files from (it does not need it)
     */
    public record WalNeeds(String type, String parentId, int timeline, String startWal, String stopWal, int walSegmentSize) {
    }

    public boolean isPhysical() {
        return wal != null;
    }

    /**
     * Summarises a manifest. A physical manifest without WAL positions cannot be judged, so it is
     * an error: retention never guesses what a backup needs.
     */
    public static BackupSummary of(BackupManifest manifest) {
        return of(manifest, UnaryOperator.identity());
    }

    /** As {@link #of(BackupManifest)}, with each chunk id as {@code canonical} gives it (one string shared by many summaries). */
    public static BackupSummary of(BackupManifest manifest, UnaryOperator<String> canonical) {
        WalNeeds wal = null;
        if (manifest.isPhysical()) {
            PhysicalInfo p = manifest.physical();
            if (p == null || p.startWal() == null || p.stopWal() == null || p.walSegmentSize() <= 0) {
                throw new CellarException(ErrorCode.INTEGRITY, "physical backup " + manifest.id()
                        + " records no WAL positions (start/stop WAL file, segment size)",
                        "expire cannot tell which WAL it needs; run 'cellar verify " + manifest.id() + "'");
            }
            wal = new WalNeeds(p.type(), p.parentId(), p.timeline(), p.startWal(), p.stopWal(), p.walSegmentSize());
        }
        Set<String> chunks = manifest.chunkRefs().map(ChunkRef::id).map(canonical).collect(Collectors.toSet());
        return new BackupSummary(manifest.id(), manifest.kind(), manifest.database(), manifest.finishedAt(), wal, chunks,
                manifest.retention());
    }
}
