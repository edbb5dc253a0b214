package dev.cellar.repo;

import dev.cellar.storage.WriteRefusedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a command met in the repository that its operator must hear although the command goes
 * on: the repository refuses writes, so the command read it without a lock and its audit
 * records are not in the trail; damaged manifests it passed over while choosing a backup. Each
 * is told to the listener once, when first met (the CLI prints it on stderr at that moment, not
 * after an hour of restore), and {@link #summary()} goes into the command's {@code --json} result.
 */
public final class RepositoryNotices {
    private Consumer<String> listener = message -> { };
    private ReadOnly readOnly;
    private final List<DamagedManifest> skipped = new ArrayList<>();

    /**
     * The repository refused a write, so this command works without writing.
     *
     * @param location         the repository
     * @param reason           why it refuses writes ("read-only file system", "opened read-only (--read-only)")
     * @param readWithoutLock  the command read it without the shared lock that keeps gc away
     * @param auditNotRecorded audit records the command could not append to the repository's trail
     */
    public record ReadOnly(String location, String reason, boolean readWithoutLock, List<NotRecorded> auditNotRecorded) {
    }

    /** An audit record that stayed out of the trail because the repository refused the write. */
    public record NotRecorded(Instant time, String user, String host, String operation, String target, String result, String detail) {
    }

    /**
     * What the JSON result carries; each part null (left out) when nothing happened.
     *
     * @param readOnly                the repository refused writes
     * @param damagedManifestsSkipped manifests that could not be read while choosing 'latest'
     */
    public record Summary(ReadOnly readOnly, List<DamagedManifest> damagedManifestsSkipped) {
        public boolean isEmpty() {
            return readOnly == null && damagedManifestsSkipped == null;
        }
    }

    /** Where notices go as they happen (the CLI: stderr). */
    public synchronized void tellTo(Consumer<String> listener) {
        this.listener = listener;
    }

    /** Whether a write was refused already: the command does not try another. */
    public synchronized boolean readOnly() {
        return readOnly != null;
    }

    synchronized void readWithoutLock(String location, WriteRefusedException refusal) {
        boolean first = readOnly == null;
        readOnly = new ReadOnly(location, first ? refusal.reason() : readOnly.reason(), true,
                first ? List.of() : readOnly.auditNotRecorded());
        if (first) {
            listener.accept("repository " + location + " refuses writes (" + refusal.reason() + "): reading it without a lock, "
                    + "and this command's audit record cannot be added to its trail (it is in this output instead)");
        }
    }

    synchronized void auditNotRecorded(String location, NotRecorded record, WriteRefusedException refusalOrNull) {
        boolean first = readOnly == null;
        List<NotRecorded> records = new ArrayList<>(first ? List.of() : readOnly.auditNotRecorded());
        records.add(record);
        readOnly = new ReadOnly(location, first ? refusalOrNull.reason() : readOnly.reason(), !first && readOnly.readWithoutLock(),
                List.copyOf(records));
        if (first) {
            listener.accept("repository " + location + " refuses writes (" + refusalOrNull.reason() + "): the audit record of this "
                    + record.operation() + " cannot be added to its trail (it is in this output instead)");
        }
    }

    synchronized void skippedDamaged(DamagedManifest manifest) {
        if (skipped.stream().anyMatch(m -> m.id().equals(manifest.id()))) {
            return;
        }
        skipped.add(manifest);
        listener.accept("skipped backup " + manifest.id() + ": its manifest " + manifest.objectKey() + " is damaged, so 'latest' "
                + "is chosen among the backups that read (run 'cellar verify --all' to see every damaged object)");
    }

    public synchronized Summary summary() {
        return new Summary(readOnly, skipped.isEmpty() ? null : List.copyOf(skipped));
    }
}
