package dev.cellar.verify;

import dev.cellar.storage.Reachability;
import dev.cellar.error.CellarException;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.ManifestStore;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.storage.HiddenObject;
import dev.cellar.storage.Storage;
import dev.cellar.sync.ObjectCopy;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code cellar verify} when the repository has several copies: each copy is verified on its own
 * (a restore falls back between copies, so a check of the copies together would hide damage in
 * one), and with repair every object missing or damaged in one copy is copied in from another
 * copy that holds it intact. One audit record covers the run.
 */
public final class CopiesVerifier {
    private static final int MAX_REPAIR_ROUNDS = 3;

    /** One configured copy: its name and storage. */
    public record Copy(String name, Storage storage) {
    }

    private final Repository repository;
    private final List<Copy> copies;

    /**
     * @param repository the repository, unlocked (on any copy, or on all of them); audit records go where it writes
     * @param copies     every configured copy, the first one first: all of them may serve as the source of a repair
     */
    public CopiesVerifier(Repository repository, List<Copy> copies) {
        this.repository = repository;
        this.copies = List.copyOf(copies);
    }

    /**
     * The repair of the audit trail, before the objects' ({@code verify --repair}): a damaged record
     * is replaced by the intact one another copy holds under its name, records a copy lacks are
     * copied in, and records written apart are joined, as {@code repo sync} does (see {@link AuditLog#join}).
     */
    public AuditLog.JoinResult repairAuditTrail() {
        return repository.audit().join(AuditLog.JoinMode.REPAIR);
    }

    /**
     * @param verify     names of the copies to verify (and repair)
     * @param backupIds  backups to check in each copy; empty for every backup and the repository's own records
     * @param withWal    also check each copy's WAL archive
     */
    public List<CopyReport> verify(List<String> verify, List<String> backupIds, boolean withWal, boolean repair, int jobs,
                                   ProgressListener progress) {
        Instant started = repository.clock().instant();
        List<CopyReport> reports = new ArrayList<>();
        for (Copy copy : copies) {
            if (verify.contains(copy.name())) {
                try {
                    reports.add(verifyCopy(copy, backupIds, withWal, repair, jobs, progress));
                } catch (CellarException e) {
                    if (!Reachability.unreachable(e)) {
                        throw e;
                    }
                    // said once on stderr by the copies; the others are verified all the same
                    reports.add(CopyReport.unreachable(copy.name(), copy.storage().describe(), e.getMessage()));
                }
            }
        }
        boolean ok = reports.stream().allMatch(CopyReport::ok);
        long bytes = reports.stream().mapToLong(r -> r.backups().bytesChecked()).sum();
        Duration duration = Duration.between(started, repository.clock().instant());
        if (repair) {
            repository.audit().append("verify --repair", String.join(",", verify), ok ? AuditRecord.OK : AuditRecord.FAILED, summary(reports),
                    bytes, duration);
        } else {
            // verifying only reads: copies that refuse writes are verified all the same
            repository.audit().appendForReading("verify", String.join(",", verify), ok ? AuditRecord.OK : AuditRecord.FAILED,
                    summary(reports), bytes, duration);
        }
        return reports;
    }

    private CopyReport verifyCopy(Copy copy, List<String> backupIds, boolean withWal, boolean repair, int jobs, ProgressListener progress) {
        Repository onCopy = repository.onCopy(copy.storage());
        Set<String> held = new HashSet<>(onCopy.manifests().ids());
        List<String> selected = backupIds.stream().filter(held::contains).toList();
        List<String> notInCopy = backupIds.stream().filter(id -> !held.contains(id)).toList();
        List<CopyReport.Repair> repaired = new ArrayList<>();
        Set<String> unrepaired = new TreeSet<>();
        VerifyReport backups = check(onCopy, backupIds, selected, jobs, progress);
        WalArchiveReport wal = withWal ? new WalArchiveVerifier(onCopy, new WalArchive(onCopy, 1)).verify(jobs, progress) : null;
        for (int round = 0; repair && round < MAX_REPAIR_ROUNDS; round++) {
            int before = repaired.size();
            unrepaired.clear();
            // a hidden object's intact version is in this very copy: made current again before anything is copied in
            for (HiddenObject hidden : backups.hidden()) {
                copy.storage().restoreVersion(hidden.key(), hidden.versionId());
                repaired.add(new CopyReport.Repair(hidden.key(), copy.name() + " (its version " + hidden.versionId() + ")", 0));
            }
            repairBackups(copy, onCopy, backups, repaired, unrepaired);
            if (wal != null) {
                repairWal(copy, onCopy, wal, repaired, unrepaired);
            }
            if (repaired.size() == before) {
                break;
            }
            // a repaired manifest names chunks not checked yet in this copy: check again
            backups = check(onCopy, backupIds, selected, jobs, progress);
            wal = withWal ? new WalArchiveVerifier(onCopy, new WalArchive(onCopy, 1)).verify(jobs, progress) : null;
        }
        if (repair) {
            unrepaired.clear();
            backups.damagedBackups().forEach(b -> unrepaired.addAll(b.damagedObjects()));
            if (wal != null) {
                wal.damaged().forEach(d -> unrepaired.add(d.substring(0, d.indexOf(':') < 0 ? d.length() : d.indexOf(':'))));
                wal.inventory().gaps().forEach(g -> unrepaired.add("WAL gap " + g));
                unrepaired.addAll(wal.backupsLackingWal());
            }
        }
        List<String> auditNotInCopy = backupIds.isEmpty() ? onCopy.audit().read(0).lacking() : List.of();
        return new CopyReport(copy.name(), copy.storage().describe(), backups, wal, notInCopy, auditNotInCopy, repaired,
                List.copyOf(unrepaired), null);
    }

    private static VerifyReport check(Repository onCopy, List<String> asked, List<String> selected, int jobs, ProgressListener progress) {
        if (!asked.isEmpty() && selected.isEmpty()) {
            return new VerifyReport(List.of(), List.of(), List.of(), List.of(), 0, 0, Duration.ZERO);
        }
        return RepositoryVerifier.forOneCopy(onCopy).checkOnly(selected, jobs, progress);
    }

    /** Damaged manifests and chunks of this copy's backups, each from the first other copy holding it intact. */
    private void repairBackups(Copy copy, Repository onCopy, VerifyReport report, List<CopyReport.Repair> repaired, Set<String> unrepaired) {
        for (BackupCheck backup : report.damagedBackups()) {
            Map<String, ChunkRef> chunksByKey = chunksOf(backup.backupId(), onCopy);
            for (String key : backup.damagedObjects()) {
                if (key.equals(ManifestStore.objectKey(backup.backupId()))) {
                    repairFromOthers(copy, key, c -> c.manifest(backup.backupId()), repaired, unrepaired);
                } else if (chunksByKey.containsKey(key)) {
                    ChunkRef ref = chunksByKey.get(key);
                    repairFromOthers(copy, key, c -> c.chunk(ref), repaired, unrepaired);
                } else {
                    unrepaired.add(key);
                }
            }
        }
    }

    /** The chunks a backup needs, by storage key, from whichever copy has its manifest readable. */
    private Map<String, ChunkRef> chunksOf(String backupId, Repository onCopy) {
        List<Repository> readers = new ArrayList<>();
        readers.add(onCopy);
        copies.forEach(c -> readers.add(repository.onCopy(c.storage())));
        for (Repository reader : readers) {
            try {
                BackupManifest manifest = reader.manifests().load(backupId);
                Map<String, ChunkRef> byKey = new HashMap<>();
                manifest.chunkRefs().forEach(ref -> byKey.put(ChunkStore.objectKey(ref.id()), ref));
                return byKey;
            } catch (CellarException e) {
                // try the next copy
            }
        }
        return Map.of();
    }

    /**
     * WAL objects that do not authenticate, and WAL files missing inside this copy's own range
     * (a hole in a timeline, or in a backup's start..stop), from another copy.
     */
    private void repairWal(Copy copy, Repository onCopy, WalArchiveReport report, List<CopyReport.Repair> repaired, Set<String> unrepaired) {
        for (String damaged : report.damaged()) {
            String key = damaged.substring(0, damaged.indexOf(':'));
            WalFileName file = WalFileName.parse(key.substring(key.lastIndexOf('/') + 1));
            repairFromOthers(copy, key, c -> c.wal(file), repaired, unrepaired);
        }
        if (report.inventory().gaps().isEmpty() && report.backupsLackingWal().isEmpty()) {
            return;
        }
        Set<WalFileName> here = new HashSet<>(new WalArchive(onCopy, 1).list());
        Set<WalFileName> missing = new LinkedHashSet<>();
        for (Copy other : copies) {
            if (other.name().equals(copy.name())) {
                continue;
            }
            List<WalFileName> theirs;
            try {
                theirs = new WalArchive(repository.onCopy(other.storage()), 1).list();
            } catch (CellarException e) {
                if (!Reachability.unreachable(e)) {
                    throw e;
                }
                continue; // that copy cannot be a source now; the others may be
            }
            for (WalFileName file : theirs) {
                if (!here.contains(file) && insideRange(file, here, report)) {
                    missing.add(file);
                }
            }
        }
        for (WalFileName file : missing) {
            repairFromOthers(copy, file.objectKey(), c -> c.wal(file), repaired, unrepaired);
        }
    }

    /** Whether a WAL file lies between the first and last segment this copy holds on its timeline, or is named as lacking. */
    private static boolean insideRange(WalFileName file, Set<WalFileName> here, WalArchiveReport report) {
        if (report.backupsLackingWal().stream().anyMatch(line -> line.contains(file.name()))) {
            return true;
        }
        if (file.kind() == WalFileName.Kind.HISTORY) {
            return false;
        }
        long segmentSize = WalFileName.DEFAULT_SEGMENT_SIZE;
        long n = file.segmentNumber(segmentSize);
        List<Long> mine = here.stream().filter(f -> f.timeline() == file.timeline() && f.kind() == WalFileName.Kind.SEGMENT)
                .map(f -> f.segmentNumber(segmentSize)).toList();
        return !mine.isEmpty() && n > mine.stream().min(Long::compare).orElseThrow() && n < mine.stream().max(Long::compare).orElseThrow();
    }

    private interface CopyStep {
        long copy(ObjectCopy from);
    }

    private void repairFromOthers(Copy copy, String key, CopyStep step, List<CopyReport.Repair> repaired, Set<String> unrepaired) {
        for (Copy other : copies) {
            if (other.name().equals(copy.name())) {
                continue;
            }
            try {
                long bytes = step.copy(new ObjectCopy(repository.onCopy(other.storage()), copy.storage(), ObjectCopy.Mode.REPLACE));
                copy.storage().flushLazyWrites();
                repaired.add(new CopyReport.Repair(key, other.name(), bytes));
                return;
            } catch (CellarException e) {
                // not intact there either: try the next copy
            }
        }
        unrepaired.add(key);
    }

    private static String summary(List<CopyReport> reports) {
        List<String> parts = new ArrayList<>();
        for (CopyReport r : reports) {
            if (!r.reached()) {
                parts.add(r.name() + ": not reached");
                continue;
            }
            parts.add(r.name() + ": " + r.backups().backups().size() + " backup(s), " + r.backups().damagedBackups().size() + " damaged, "
                    + r.repaired().size() + " object(s) repaired, " + r.unrepaired().size() + " not repairable");
        }
        return String.join("; ", parts);
    }
}
