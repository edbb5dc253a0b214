package dev.cellar.backup;

import dev.cellar.repo.BackupManifest;

/**
 * What a finished backup produced: its manifest, and how much it added to the repository
 * (chunks it shared with earlier backups cost nothing).
 *
 * @param newPlainBytes bytes of the stream that were not in the repository yet (before compression)
 * @param storedBytes   bytes the repository grew by (compressed and encrypted)
 */
public record BackupResult(BackupManifest manifest, long newChunks, long newPlainBytes, long storedBytes) {

    /** Share of the backup's bytes that had to be stored anew, 0..1. */
    public double newByteRatio() {
        long total = manifest.totalBytes();
        return total == 0 ? 0 : (double) newPlainBytes / total;
    }
}
