package dev.cellar.verify;

import java.util.List;

/**
 * What verify found in one copy of the repository, and with {@code --repair} what it mended.
 *
 * @param backups        the verdicts on the backups this copy holds (after any repair)
 * @param wal            the WAL archive of this copy (after any repair); null when WAL was not checked
 * @param notInCopy      backups asked for that this copy does not hold ({@code cellar repo sync} copies them)
 * @param auditNotInCopy audit records this copy lacks and another copy holds ({@code cellar repo sync} copies them)
 * @param repaired       objects replaced or added from another copy, each checked there first
 * @param unrepaired     damaged or missing objects no other copy holds intact
 * @param unreachable    why the copy could not be verified (it could not be reached); null when it was
 */
public record CopyReport(String name, String location, VerifyReport backups, WalArchiveReport wal, List<String> notInCopy,
                         List<String> auditNotInCopy, List<Repair> repaired, List<String> unrepaired, String unreachable) {

    /** One object copied in from another copy. */
    public record Repair(String key, String from, long bytes) {
    }

    /** A copy that could not be reached: nothing was checked in it, and nothing found wrong. */
    static CopyReport unreachable(String name, String location, String reason) {
        return new CopyReport(name, location, new VerifyReport(List.of(), List.of(), List.of(), List.of(), 0, 0, java.time.Duration.ZERO),
                null, List.of(), List.of(), List.of(), List.of(), reason);
    }

    /** Nothing found wrong in what was checked (a copy that could not be reached had nothing checked). */
    public boolean ok() {
        return backups.ok() && (wal == null || wal.ok()) && unrepaired.isEmpty();
    }

    public boolean reached() {
        return unreachable == null;
    }
}
