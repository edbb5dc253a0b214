package dev.cellar.verify;

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
 */
public record VerifyReport(
        List<BackupCheck> backups,
        List<String> repositoryProblems,
        List<String> auditProblems,
        List<String> locks,
        long chunksChecked,
        long bytesChecked,
        Duration duration,
        WormState worm) {

    public VerifyReport(List<BackupCheck> backups, List<String> repositoryProblems, List<String> auditProblems, List<String> locks,
                        long chunksChecked, long bytesChecked, Duration duration) {
        this(backups, repositoryProblems, auditProblems, locks, chunksChecked, bytesChecked, duration, WormState.NONE);
    }

    /** True when every backup can be restored and the repository's own records are intact. */
    public boolean ok() {
        return backups.stream().allMatch(BackupCheck::ok) && repositoryProblems.isEmpty() && auditProblems.isEmpty()
                && worm.problems().isEmpty();
    }

    public List<BackupCheck> damagedBackups() {
        return backups.stream().filter(b -> !b.ok()).toList();
    }
}
