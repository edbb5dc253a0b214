package dev.cellar.sync;

import java.util.List;
import java.util.Map;

/**
 * What {@code cellar repo sync} copied (or, with --dry-run, would copy) between the copies.
 *
 * @param dryRun      true when nothing was written
 * @param targets     one entry per direction synced, source by source in configuration order
 * @param audit       the audit trail joined across the copies synced
 * @param unreachable copies that could not be reached and were left out (the others were synced)
 */
public record SyncResult(boolean dryRun, List<CopyResult> targets, AuditResult audit, List<String> unreachable) {

    /** Objects and their stored bytes. */
    public record Count(long objects, long bytes) {
        public static final Count NONE = new Count(0, 0);

        Count plus(long bytes) {
            return new Count(objects + 1, this.bytes + bytes);
        }
    }

    /**
     * One direction: what the copy {@code to} received from the copy {@code from}.
     *
     * @param initialised    true when the copy was empty and received the header and key slots
     * @param backupsCopied  ids of the backups now in the copy (or that would be)
     * @param skipped        what was left out on purpose: backups and WAL the copy's retention would expire at once
     * @param failures       what could not be copied because the source's object is missing or damaged
     * @param lifecycle      objects of monthly and retention archives and of the erasure ledger the copy lacked
     */
    public record CopyResult(String from, String to, String location, boolean initialised, Count chunks, Count wal, Count manifests,
                             List<String> backupsCopied, List<String> skipped, List<String> failures, Count lifecycle) {
        public boolean copiedNothing() {
            return !initialised && chunks.objects() == 0 && wal.objects() == 0 && manifests.objects() == 0 && lifecycle.objects() == 0;
        }

        /** Stored bytes written to the copy (or that would be). */
        public long bytes() {
            return chunks.bytes() + wal.bytes() + manifests.bytes() + lifecycle.bytes();
        }
    }

    /**
     * The audit trail across the copies synced.
     *
     * @param recordsCopied records each copy received (or would receive) from the others
     * @param joinedBranches how many branches a join record joined (0: the trail did not fork)
     * @param joinRecord    the sequence number of that join record; null when none was written
     * @param notCopied     records left where they are, each with why
     */
    public record AuditResult(Map<String, Integer> recordsCopied, int joinedBranches, Long joinRecord, List<String> notCopied) {
        public int total() {
            return recordsCopied.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** No object was missing or damaged in a source. */
    public boolean ok() {
        return targets.stream().allMatch(t -> t.failures().isEmpty());
    }
}
