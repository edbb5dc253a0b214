package dev.cellar.verify;

import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.CorruptObjectException;
import dev.cellar.storage.Retention;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What verify keeps of each manifest once it has read and authenticated it: the chunks it
 * needs (as indexes into one table of distinct chunks shared by all backups), its recorded
 * retention and audit sequence. The manifest itself is dropped, so a repository of thousands of
 * backups is verified in memory bounded by its distinct chunks, not by its manifests.
 */
final class ReadManifests {
    private final Map<String, Integer> chunkIndex = new HashMap<>();
    private final List<ChunkRef> distinct = new ArrayList<>();
    private final Map<String, int[]> chunksOf = new LinkedHashMap<>();
    private final Map<String, Retention> retentions = new LinkedHashMap<>();
    private final Map<String, CorruptObjectException> unreadable = new LinkedHashMap<>();
    private final List<String> summaryProblems = new ArrayList<>();
    private long highestAuditSequence;

    /** Keeps what later checks need of a manifest that read. */
    void add(BackupManifest manifest) {
        int[] needed = manifest.chunkRefs().mapToInt(this::indexOf).toArray();
        chunksOf.put(manifest.id(), needed);
        retentions.put(manifest.id(), manifest.retention());
        highestAuditSequence = Math.max(highestAuditSequence, manifest.auditSequence());
    }

    /** A manifest that did not read: its backup is condemned, not the run. */
    void addUnreadable(String id, CorruptObjectException failure) {
        unreadable.put(id, failure);
    }

    /** A backup's summary that does not read or disagrees with its manifest: a repository problem, not the backup's. */
    void addSummaryProblem(String problem) {
        summaryProblems.add(problem);
    }

    List<String> summaryProblems() {
        return summaryProblems;
    }

    private int indexOf(ChunkRef ref) {
        Integer known = chunkIndex.get(ref.id());
        if (known != null) {
            return known;
        }
        distinct.add(ref);
        chunkIndex.put(ref.id(), distinct.size() - 1);
        return distinct.size() - 1;
    }

    /** Each chunk the manifests read so far need, once, in the order they were first needed. */
    Collection<ChunkRef> distinctChunks() {
        return distinct;
    }

    /** The audit record the newest manifest read so far refers to (0 when none read). */
    long highestAuditSequence() {
        return highestAuditSequence;
    }

    /** The retention each readable manifest records (null: not locked), in the order they were read. */
    Map<String, Retention> retentions() {
        return retentions;
    }

    /** The verdict on one backup read before, given every damaged chunk of the run (by chunk id). */
    BackupCheck verdict(String id, Map<String, CorruptObjectException> damagedChunks) {
        CorruptObjectException failure = unreadable.get(id);
        if (failure != null) {
            return BackupCheck.unreadableManifest(id, failure);
        }
        List<String> needed = new ArrayList<>();
        for (int index : chunksOf.get(id)) {
            needed.add(distinct.get(index).id());
        }
        return BackupCheck.of(id, needed, damagedChunks);
    }
}
