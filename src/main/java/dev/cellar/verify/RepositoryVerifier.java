package dev.cellar.verify;

import dev.cellar.repo.AuditLog;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.CorruptObjectException;
import dev.cellar.repo.LockInfo;
import dev.cellar.repo.ManifestStore;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.storage.HiddenObject;
import dev.cellar.storage.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code cellar verify}: proves that selected backups could be restored by re-reading and
 * authenticating every object they need, without PostgreSQL. Damage is reported per backup and
 * per object, never thrown, so one run shows everything that is lost; with all backups selected
 * it also checks the header, the key slots and the audit chain.
 */
public final class RepositoryVerifier {
    static final String AUDIT_OPERATION = "verify";

    private final Repository repository;
    /**
     * Whether a backup the audit trail says finished must be in this storage. Not in one copy of
     * several: a copy may lack a backup on purpose (its shorter retention, a sync not run yet),
     * which {@link CopiesVerifier} reports per copy instead.
     */
    private final boolean holdsEveryAuditedBackup;

    public RepositoryVerifier(Repository repository) {
        this(repository, true);
    }

    private RepositoryVerifier(Repository repository, boolean holdsEveryAuditedBackup) {
        this.repository = repository;
        this.holdsEveryAuditedBackup = holdsEveryAuditedBackup;
    }

    /** A verifier for one copy among several: everything but the audit trail's demand that every finished backup be there. */
    static RepositoryVerifier forOneCopy(Repository onCopy) {
        return new RepositoryVerifier(onCopy, false);
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
        // 2. Every selected manifest, one at a time, keeping only what the later checks need of it;
        //    a damaged one condemns its backup, not the run.
        ReadManifests manifests = new ReadManifests();
        ids.forEach(id -> load(id, null, manifests, all));
        // 3. With every backup checked, the audit trail (read once): its chain must reach the newest
        //    manifest's record, and it says which backups finished and which Cellar's expire deleted.
        AuditLog.AuditReport trail = all ? repository.audit().read(manifests.highestAuditSequence()) : null;
        AuditedBackups audited = all ? AuditedBackups.of(trail.records()) : null;
        // 4. On a versioned bucket, backups another client hid behind a delete marker are verified
        //    too, from their intact version; a marker the trail says Cellar's expire wrote is its own.
        Map<String, HiddenObject> hiddenManifests = all ? hiddenManifests(ids, audited) : Map.of();
        hiddenManifests.forEach((id, hidden) -> load(id, hidden, manifests, false));
        List<String> checked = new ArrayList<>(ids);
        checked.addAll(hiddenManifests.keySet());
        // 5. Each chunk the manifests need, once however many backups share it.
        ChunkVerification.Outcome chunks = ChunkVerification.run(repository.chunks(), manifests.distinctChunks(), jobs, progress);
        // 6. A verdict for each backup, in the order asked for.
        List<BackupCheck> backups = new ArrayList<>();
        for (String id : checked) {
            backups.add(manifests.verdict(id, chunks.damaged()));
        }
        // 7. With every backup checked: the objects that open the repository, the audit chain, and
        //    backups the trail says finished and were never expired that are gone in every version.
        List<String> repositoryProblems = new ArrayList<>(all ? RepositoryStructureCheck.problems(repository) : List.of());
        repositoryProblems.addAll(manifests.summaryProblems());
        List<String> auditProblems = all ? trail.problems() : List.of();
        List<String> missing = all && holdsEveryAuditedBackup ? missingBackups(audited, checked, repository.manifests().ids()) : List.of();
        // 8. Hidden objects: the manifests above, and whatever was read from an older version because its newest was hidden.
        Map<String, HiddenObject> hidden = new TreeMap<>();
        hiddenManifests.values().forEach(h -> hidden.put(h.key(), h));
        repository.storage().hiddenObjectsRead().forEach(h -> hidden.putIfAbsent(h.key(), h));
        // 9. WORM: each locked backup's manifest must really be held under the retention it records
        //    (for a hidden one, its intact version), judged in the time of the server that enforces it.
        WormState worm = WormState.check(manifests.retentions(), id -> retentionHeld(id, hiddenManifests),
                repository.storage().lockTime(repository.clock()));
        return new VerifyReport(backups, repositoryProblems, auditProblems, locks, chunks.chunksChecked(), chunks.bytesChecked(),
                Duration.between(started, repository.clock().instant()), worm, List.copyOf(hidden.values()), missing, List.of());
    }

    /**
     * Reads a manifest (the given hidden version of it, or the current one) and keeps what verify
     * needs of it; with {@code checkSummary}, also checks that the backup's summary, if it has one,
     * says what the manifest says.
     */
    private void load(String id, HiddenObject hidden, ReadManifests manifests, boolean checkSummary) {
        BackupManifest manifest;
        try {
            manifest = hidden == null ? repository.manifests().load(id) : repository.manifests().loadVersion(id, hidden.versionId());
        } catch (CorruptObjectException e) {
            manifests.addUnreadable(id, e);
            return;
        }
        manifests.add(manifest);
        if (checkSummary) {
            try {
                repository.manifests().summary(id).filter(summary -> !summary.agreesWith(manifest)).ifPresent(summary ->
                        manifests.addSummaryProblem("backup " + id + ": its summary " + ManifestStore.summaryObjectKey(id)
                                + " disagrees with its manifest ('cellar list' may show it wrong; 'cellar verify' reads the manifest)"));
            } catch (CorruptObjectException e) {
                manifests.addSummaryProblem(e.getMessage() + " ('cellar list' reads the manifest instead)");
            }
        }
    }

    /**
     * {@code verify --repair} on one copy: makes the intact version of every hidden object
     * current again (with its lock), then the chunks those backups still miss that a delete
     * marker hides (a gc that ran after their manifest was hidden took them for unreferenced),
     * and verifies again. Only a versioned bucket can hide an object, so on other storage it is a
     * plain verify.
     */
    public VerifyReport repairHidden(List<String> backupIdsOrEmptyForAll, int jobs, ProgressListener progress) {
        Instant started = repository.clock().instant();
        boolean all = backupIdsOrEmptyForAll.isEmpty();
        String target = all ? "all" : String.join(",", backupIdsOrEmptyForAll);
        try {
            VerifyReport report = checkOnly(backupIdsOrEmptyForAll, jobs, progress);
            List<HiddenObject> restored = new ArrayList<>();
            for (HiddenObject hidden : report.hidden()) {
                repository.storage().restoreVersion(hidden.key(), hidden.versionId());
                restored.add(hidden);
            }
            if (!restored.isEmpty()) {
                report = checkOnly(backupIdsOrEmptyForAll, jobs, progress);
            }
            List<HiddenObject> chunks = restoreMissingBehindDeleteMarkers(report);
            if (!chunks.isEmpty()) {
                restored.addAll(chunks);
                report = checkOnly(backupIdsOrEmptyForAll, jobs, progress);
            }
            VerifyReport after = report.withRestored(restored);
            repository.audit().append(AUDIT_OPERATION + " --repair", target, after.ok() ? AuditRecord.OK : AuditRecord.FAILED,
                    restored.size() + " hidden object(s) made current again"
                            + (restored.isEmpty() ? "" : restored.stream().map(HiddenObject::key).collect(Collectors.joining(", ", " (", ")")))
                            + "; " + summary(after),
                    after.bytesChecked(), Duration.between(started, repository.clock().instant()));
            return after;
        } catch (RuntimeException e) {
            repository.audit().appendFailure(AUDIT_OPERATION + " --repair", target, e.getMessage(),
                    Duration.between(started, repository.clock().instant()), e);
            throw e;
        }
    }

    /** Objects the damaged backups miss whose newest version is a delete marker over an intact one, made current again. */
    private List<HiddenObject> restoreMissingBehindDeleteMarkers(VerifyReport report) {
        List<HiddenObject> restored = new ArrayList<>();
        for (BackupCheck backup : report.damagedBackups()) {
            for (String key : backup.damagedObjects()) {
                if (restored.stream().anyMatch(h -> h.key().equals(key))) {
                    continue;
                }
                // a chunk key is a fixed-length hash: listing it as a prefix lists that object alone
                repository.storage().listBehindDeleteMarkers(key).stream().filter(h -> h.key().equals(key)).findFirst().ifPresent(h -> {
                    repository.storage().restoreVersion(h.key(), h.versionId());
                    restored.add(h);
                });
            }
        }
        return restored;
    }

    /** Manifests behind a delete marker that is not Cellar's own (the trail does not say expire deleted them), by backup id. */
    private Map<String, HiddenObject> hiddenManifests(List<String> listed, AuditedBackups audited) {
        Map<String, HiddenObject> hidden = new LinkedHashMap<>();
        for (HiddenObject object : repository.storage().listBehindDeleteMarkers(RepositoryLayout.BACKUPS)) {
            String id = object.key().substring(RepositoryLayout.BACKUPS.length());
            if (!listed.contains(id) && !audited.expiredByCellar(id)) {
                hidden.put(id, object);
            }
        }
        return hidden;
    }

    private Optional<Retention> retentionHeld(String id, Map<String, HiddenObject> hiddenManifests) {
        HiddenObject hidden = hiddenManifests.get(id);
        return hidden != null ? Optional.ofNullable(hidden.retention()) : repository.manifests().storedRetention(id);
    }

    /**
     * @param listedNow the manifests listed again after the trail was read: a backup that finished
     *                  while this verify ran has its record in the trail but was not in the first
     *                  listing, and is no more missing than it is checked (the next verify checks it)
     */
    private static List<String> missingBackups(AuditedBackups audited, List<String> present, List<String> listedNow) {
        List<String> missing = new ArrayList<>();
        audited.finished().forEach((id, sequence) -> {
            if (!present.contains(id) && !listedNow.contains(id) && !audited.expiredByCellar(id)) {
                missing.add("backup " + id + ": the audit trail says it finished (record " + sequence
                        + ") and was never expired, but the repository holds no version of its manifest");
            }
        });
        return missing;
    }

    private static String describe(LockInfo lock) {
        return lock.mode() + " lock '" + lock.operation() + "' held by " + lock.holder() + " since " + lock.startedAt();
    }

    private static String summary(VerifyReport report) {
        return report.backups().size() + " backup(s), " + report.damagedBackups().size() + " damaged, "
                + report.hidden().size() + " hidden, " + report.missingBackups().size() + " missing, "
                + report.chunksChecked() + " chunk(s), " + report.repositoryProblems().size() + " repository problem(s), "
                + report.auditProblems().size() + " audit problem(s), " + report.worm().lockedBackups() + " locked, "
                + report.worm().problems().size() + " lock mismatch(es)";
    }
}
