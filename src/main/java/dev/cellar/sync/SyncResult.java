package dev.cellar.sync;

import java.util.List;

/**
 * What {@code cellar repo sync} copied (or, with --dry-run, would copy) into each target copy.
 *
 * @param from    the copy read from
 * @param dryRun  true when nothing was written
 * @param targets one entry per copy written to
 */
public record SyncResult(String from, boolean dryRun, List<CopyResult> targets) {

    /** Objects and their stored bytes. */
    public record Count(long objects, long bytes) {
        public static final Count NONE = new Count(0, 0);

        Count plus(long bytes) {
            return new Count(objects + 1, this.bytes + bytes);
        }
    }

    /**
     * @param initialised    true when the copy was empty and received the header and key slots
     * @param backupsCopied  ids of the backups now in the copy (or that would be)
     * @param skipped        what was left out on purpose: backups and WAL the copy's retention would expire at once,
     *                       an audit trail that diverged
     * @param failures       what could not be copied because the source's object is missing or damaged
     */
    public record CopyResult(String to, String location, boolean initialised, Count chunks, Count wal, Count manifests,
                             Count audit, List<String> backupsCopied, List<String> skipped, List<String> failures) {
        public boolean copiedNothing() {
            return !initialised && chunks.objects() == 0 && wal.objects() == 0 && manifests.objects() == 0 && audit.objects() == 0;
        }
    }

    public boolean ok() {
        return targets.stream().allMatch(t -> t.failures().isEmpty());
    }
}
