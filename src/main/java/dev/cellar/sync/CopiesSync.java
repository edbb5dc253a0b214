package dev.cellar.sync;

import dev.cellar.storage.Reachability;
import dev.cellar.config.RetentionConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.storage.MirroredStorage;
import dev.cellar.storage.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code cellar repo sync}: brings the copies of a repository to the newest state any of them
 * holds. Each copy receives from each other copy what it lacks and its own retention keeps
 * (backups, WAL), one direction after the other ({@link RepositorySync}); then the audit trail is
 * joined across the copies ({@link AuditLog#join}) and the sync is recorded once, in each of
 * them. A copy that cannot be reached is reported and left out; the others are synced.
 */
public final class CopiesSync {
    static final String OPERATION = "repo sync";

    /** A configured copy: its name, storage and retention. */
    public record Copy(String name, Storage storage, RetentionConfig retention) {
    }

    private final Repository repository;
    private final List<Copy> copies;
    private final Consumer<MirroredStorage.Warning> warnings;
    private final int jobs;

    /**
     * @param repository the repository, unlocked; its audit trail is joined across the copies synced
     * @param copies     every configured copy, in configuration order
     * @param warnings   told about a copy that falls behind while the sync records itself
     * @param jobs       objects copied in parallel
     */
    public CopiesSync(Repository repository, List<Copy> copies, Consumer<MirroredStorage.Warning> warnings, int jobs) {
        this.repository = repository;
        this.copies = List.copyOf(copies);
        this.warnings = warnings;
        this.jobs = jobs;
    }

    /**
     * @param from copies read from; empty for every copy
     * @param to   copies written to; empty for every copy
     */
    public SyncResult sync(List<String> from, List<String> to, boolean dryRun, Duration lockWait, ProgressListener progress) {
        Instant started = repository.clock().instant();
        // 1. The copies this sync involves, and among them those that answer.
        List<Copy> involved = copies.stream().filter(c -> from.isEmpty() || to.isEmpty() || from.contains(c.name()) || to.contains(c.name()))
                .toList();
        Set<String> unreachable = new LinkedHashSet<>();
        involved.stream().filter(c -> !answers(c)).forEach(c -> unreachable.add(c.name()));
        if (involved.size() - unreachable.size() < 2) {
            throw new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "repo sync needs two copies that answer, and "
                    + String.join(", ", unreachable) + " could not be reached",
                    "run 'cellar repo sync' again once " + String.join(", ", unreachable) + " can be reached");
        }
        // 2. Each direction: every source to every target, in configuration order.
        List<SyncResult.CopyResult> results = new ArrayList<>();
        for (Copy source : involved) {
            for (Copy target : involved) {
                boolean wanted = (from.isEmpty() || from.contains(source.name())) && (to.isEmpty() || to.contains(target.name()));
                if (!wanted || source == target || unreachable.contains(source.name()) || unreachable.contains(target.name())) {
                    continue;
                }
                try {
                    results.add(new RepositorySync(repository.onCopy(source.storage()), source.name(), jobs)
                            .syncTo(new RepositorySync.Target(target.name(), target.storage(), target.retention()), dryRun, lockWait, progress));
                } catch (CellarException e) {
                    if (!Reachability.unreachable(e)) {
                        throw e;
                    }
                    // a copy stopped answering half-way: what it received is consistent (commit order); the rest waits
                    List.of(source, target).stream().filter(c -> !answers(c)).forEach(c -> unreachable.add(c.name()));
                    if (!unreachable.contains(source.name()) && !unreachable.contains(target.name())) {
                        throw e;
                    }
                }
            }
        }
        // 3. The audit trail joined across the copies that answer, then this sync's own record in each.
        List<Copy> reachable = involved.stream().filter(c -> !unreachable.contains(c.name())).toList();
        // the copies belong to the caller: this mirror of them releases only its own threads
        MirroredStorage joinedCopies = reachable.size() == 1 ? null
                : MirroredStorage.borrowing(reachable.stream().map(c -> new MirroredStorage.Member(c.name(), c.storage())).toList(), warnings);
        try {
            return recordAuditTrail(repository, joinedCopies == null ? reachable.get(0).storage() : joinedCopies, reachable, results,
                    unreachable, dryRun, started);
        } finally {
            if (joinedCopies != null) {
                joinedCopies.close();
            }
        }
    }

    /** 3. (continued) Joins the audit trail on {@code trailStorage} and, unless a dry run, records this sync in it. */
    private SyncResult recordAuditTrail(Repository repository, Storage trailStorage, List<Copy> reachable,
            List<SyncResult.CopyResult> results, Set<String> unreachable, boolean dryRun, Instant started) {
        AuditLog trail = repository.audit().on(trailStorage);
        AuditLog.JoinResult joined = trail.join(dryRun ? AuditLog.JoinMode.DRY_RUN : AuditLog.JoinMode.COPY);
        SyncResult result = new SyncResult(dryRun, results, new SyncResult.AuditResult(joined.copied(), joined.branches(),
                joined.joined() == null ? null : joined.joined().sequence(), joined.notCopied()), List.copyOf(unreachable));
        if (!dryRun) {
            trail.append(OPERATION, String.join(",", reachable.stream().map(Copy::name).toList()),
                    result.ok() && unreachable.isEmpty() ? AuditRecord.OK : AuditRecord.FAILED, summary(result),
                    results.stream().mapToLong(SyncResult.CopyResult::bytes).sum(),
                    Duration.between(started, repository.clock().instant()));
        }
        return result;
    }

    /** Whether the copy answers at all (an empty copy, without a header yet, does). */
    private static boolean answers(Copy copy) {
        try {
            copy.storage().exists(RepositoryLayout.HEADER);
            return true;
        } catch (CellarException e) {
            if (!Reachability.unreachable(e)) {
                throw e;
            }
            return false;
        }
    }

    private static String summary(SyncResult result) {
        List<String> parts = new ArrayList<>();
        for (SyncResult.CopyResult r : result.targets()) {
            if (!r.copiedNothing() || !r.failures().isEmpty()) {
                parts.add(r.from() + " -> " + r.to() + ": " + r.backupsCopied().size() + " backup(s), " + r.chunks().objects() + " chunk(s), "
                        + r.wal().objects() + " WAL file(s)"
                        + (r.lifecycle().objects() == 0 ? "" : ", " + r.lifecycle().objects() + " archive/ledger object(s)") + (r.failures().isEmpty() ? "" : ", " + r.failures().size() + " failure(s)"));
            }
        }
        if (result.audit().total() > 0) {
            parts.add(result.audit().total() + " audit record(s) copied");
        }
        if (result.audit().joinRecord() != null) {
            parts.add("audit branches joined by record " + result.audit().joinRecord());
        }
        if (!result.unreachable().isEmpty()) {
            parts.add("not reached: " + String.join(", ", result.unreachable()));
        }
        return parts.isEmpty() ? "every copy was up to date" : String.join("; ", parts);
    }
}
