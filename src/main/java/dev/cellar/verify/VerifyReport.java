package dev.cellar.verify;

import dev.cellar.storage.HiddenObject;
import java.time.Duration;
import java.util.List;

/**
 * What {@code cellar verify} found: one verdict per backup, the repository-wide checks (header,
 * keys, audit chain) when every backup was checked, and how much was read to reach them.
 *
 * @param repositoryProblems damage to the header or the key slots (only checked with {@code --all})
 * @param auditProblems      breaks in the audit chain (only checked with {@code --all})
 * @param locks              lock files present while verifying; informational, never a failure
 * @param chunksChecked      distinct chunks read and authenticated (a chunk shared by backups counts once)
 * @param bytesChecked       plaintext bytes of those chunks
 * @param worm               locked backups among those verified, and any whose lock the storage does not keep
 * @param hidden             objects of the verified backups that another client hid on a versioned bucket (behind a
 *                           delete marker, or under a version that does not authenticate): read from the intact
 *                           version, and a failure until {@code verify --repair} makes that version current again
 * @param missingBackups     backups the audit trail says finished and were never expired, which the repository does
 *                           not hold in any version (only checked with {@code --all})
 * @param restored           hidden objects {@code verify --repair} made current again (empty without --repair)
 */
public record VerifyReport(
        List<BackupCheck> backups,
        List<String> repositoryProblems,
        List<String> auditProblems,
        List<String> locks,
        long chunksChecked,
        long bytesChecked,
        Duration duration,
        WormState worm,
        List<HiddenObject> hidden,
        List<String> missingBackups,
        List<HiddenObject> restored) {

    public VerifyReport {
        hidden = List.copyOf(hidden);
        missingBackups = List.copyOf(missingBackups);
        restored = List.copyOf(restored);
    }

    public VerifyReport(List<BackupCheck> backups, List<String> repositoryProblems, List<String> auditProblems, List<String> locks,
                        long chunksChecked, long bytesChecked, Duration duration) {
        this(backups, repositoryProblems, auditProblems, locks, chunksChecked, bytesChecked, duration, WormState.NONE, List.of(), List.of(),
                List.of());
    }

    /** True when every backup can be restored, nothing is hidden or missing, and the repository's own records are intact. */
    public boolean ok() {
        return backups.stream().allMatch(BackupCheck::ok) && repositoryProblems.isEmpty() && auditProblems.isEmpty()
                && worm.problems().isEmpty() && hidden.isEmpty() && missingBackups.isEmpty();
    }

    /** The same report, saying which hidden objects a repair made current again. */
    VerifyReport withRestored(List<HiddenObject> made) {
        return new VerifyReport(backups, repositoryProblems, auditProblems, locks, chunksChecked, bytesChecked, duration, worm, hidden,
                missingBackups, made);
    }

    public List<BackupCheck> damagedBackups() {
        return backups.stream().filter(b -> !b.ok()).toList();
    }
}
