package dev.cellar.verify;

import java.util.List;

/**
 * What verify found in one copy of the repository, and with {@code --repair} what it mended.
 *
 * @param backups    the verdicts on the backups this copy holds (after any repair)
 * @param wal        the WAL archive of this copy (after any repair); null when WAL was not checked
 * @param notInCopy  backups asked for that this copy does not hold ({@code cellar repo sync} copies them)
 * @param repaired   objects replaced or added from another copy, each checked there first
 * @param unrepaired damaged or missing objects no other copy holds intact
 */
public record CopyReport(String name, String location, VerifyReport backups, WalArchiveReport wal, List<String> notInCopy,
                         List<Repair> repaired, List<String> unrepaired) {

    /** One object copied in from another copy. */
    public record Repair(String key, String from, long bytes) {
    }

    public boolean ok() {
        return backups.ok() && (wal == null || wal.ok()) && unrepaired.isEmpty();
    }
}
