package dev.cellar.verify;

import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.CorruptObjectException;
import dev.cellar.repo.LockInfo;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cellar verify}: proves that selected backups could be restored by re-reading and
 * authenticating every object they need, without PostgreSQL. Damage is reported per backup and
 * per object, never thrown, so one run shows everything that is lost; with all backups selected
 * it also checks the header, the key slots and the audit chain.
 */
public final class RepositoryVerifier {
    static final String AUDIT_OPERATION = "verify";

    private final Repository repository;

    public RepositoryVerifier(Repository repository) {
        this.repository = repository;
    }

    /**
     * @param backupIdsOrEmptyForAll the backups to check; empty checks every backup and the repository itself
     * @param jobs                   chunks read in parallel
     */
    public VerifyReport verify(List<String> backupIdsOrEmptyForAll, int jobs, ProgressListener progress) {
        Instant started = repository.clock().instant();
        boolean all = backupIdsOrEmptyForAll.isEmpty();
        String target = all ? "all" : String.join(",", backupIdsOrEmptyForAll);
        try {
            VerifyReport report = check(all ? repository.manifests().ids() : List.copyOf(backupIdsOrEmptyForAll), all, jobs, progress, started);
            repository.audit().appendForReading(AUDIT_OPERATION, target, report.ok() ? AuditRecord.OK : AuditRecord.FAILED, summary(report),
                    report.bytesChecked(), report.duration());
            return report;
        } catch (RuntimeException e) {
            repository.audit().appendFailureForReading(AUDIT_OPERATION, target, e.getMessage(),
                    Duration.between(started, repository.clock().instant()), e);
            throw e;
        }
    }

    /**
     * The same checks without an audit record: for one copy among several, whose verdicts are
     * recorded once for all copies by the caller.
     */
    public VerifyReport checkOnly(List<String> backupIdsOrEmptyForAll, int jobs, ProgressListener progress) {
        boolean all = backupIdsOrEmptyForAll.isEmpty();
        return check(all ? repository.manifests().ids() : List.copyOf(backupIdsOrEmptyForAll), all, jobs, progress,
                repository.clock().instant());
    }

    private VerifyReport check(List<String> ids, boolean all, int jobs, ProgressListener progress, Instant started) {
        // 1. Locks present: a running backup or gc is worth knowing about, but is no damage.
        List<String> locks = repository.locks().list().stream().map(RepositoryVerifier::describe).toList();
        // 2. Every selected manifest; a damaged one condemns its backup, not the run.
        Map<String, BackupManifest> manifests = new LinkedHashMap<>();
        Map<String, CorruptObjectException> unreadable = new LinkedHashMap<>();
        for (String id : ids) {
            try {
                manifests.put(id, repository.manifests().load(id));
            } catch (CorruptObjectException e) {
                unreadable.put(id, e);
            }
        }
        // 3. Each chunk the manifests need, once however many backups share it.
        ChunkVerification.Outcome chunks = ChunkVerification.run(repository.chunks(), distinctChunks(manifests.values()), jobs, progress);
        // 4. A verdict for each backup, in the order asked for.
        List<BackupCheck> backups = new ArrayList<>();
        for (String id : ids) {
            backups.add(unreadable.containsKey(id) ? BackupCheck.unreadableManifest(id, unreadable.get(id))
                    : BackupCheck.of(manifests.get(id), chunks.damaged()));
        }
        // 5. With every backup checked: the objects that open the repository, and the audit chain.
        List<String> repositoryProblems = all ? RepositoryStructureCheck.problems(repository) : List.of();
        List<String> auditProblems = all ? repository.audit().read(highestAuditSequence(manifests.values())).problems() : List.of();
        // 6. WORM: each locked backup's manifest must really be held under the retention it records.
        WormState worm = WormState.check(manifests.values(), repository.manifests()::storedRetention,
                repository.storage().lockTime(repository.clock()));
        return new VerifyReport(backups, repositoryProblems, auditProblems, locks, chunks.chunksChecked(), chunks.bytesChecked(),
                Duration.between(started, repository.clock().instant()), worm);
    }

    private static Collection<ChunkRef> distinctChunks(Collection<BackupManifest> manifests) {
        Map<String, ChunkRef> distinct = new LinkedHashMap<>();
        for (BackupManifest manifest : manifests) {
            manifest.chunkRefs().forEach(ref -> distinct.putIfAbsent(ref.id(), ref));
        }
        return distinct.values();
    }

    /** The audit record the newest readable manifest refers to: the log must reach at least that far. */
    private static long highestAuditSequence(Collection<BackupManifest> manifests) {
        return manifests.stream().mapToLong(BackupManifest::auditSequence).max().orElse(0);
    }

    private static String describe(LockInfo lock) {
        return lock.mode() + " lock '" + lock.operation() + "' held by " + lock.holder() + " since " + lock.startedAt();
    }

    private static String summary(VerifyReport report) {
        return report.backups().size() + " backup(s), " + report.damagedBackups().size() + " damaged, "
                + report.chunksChecked() + " chunk(s), " + report.repositoryProblems().size() + " repository problem(s), "
                + report.auditProblems().size() + " audit problem(s), " + report.worm().lockedBackups() + " locked, "
                + report.worm().problems().size() + " lock mismatch(es)";
    }
}
