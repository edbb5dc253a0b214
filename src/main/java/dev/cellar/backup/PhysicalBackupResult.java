package dev.cellar.backup;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.cellar.repo.BackupManifest;
import java.util.List;

/**
 * What a physical backup did, for the summary a person reads and for {@code --json}.
 *
 * @param filesReused     files an incremental backup took from its parent without reading them
 * @param bytesRead       bytes read from the data directory
 * @param newBlocks       blocks not in the repository before (stored now)
 * @param reusedBlocks    blocks read but already in the repository
 * @param newPlainBytes   uncompressed size of the new blocks
 * @param storedBytes     bytes the repository grew by for the data files (compressed and encrypted)
 * @param walSegments     WAL segments of the backup's range checked into the archive
 * @param badPages        pages whose checksum failed ("path block n")
 */
public record PhysicalBackupResult(
        String id,
        String type,
        String parentId,
        String startLsn,
        String stopLsn,
        String startWal,
        String stopWal,
        int timeline,
        int files,
        int filesReused,
        long totalBytes,
        long bytesRead,
        long newBlocks,
        long reusedBlocks,
        long newPlainBytes,
        long storedBytes,
        int walSegments,
        boolean dataChecksums,
        List<String> badPages,
        long durationMillis,
        @JsonIgnore BackupManifest manifest) {

    /** Megabytes (10^6) of the data directory per second of backup. */
    public double megabytesPerSecond() {
        return durationMillis == 0 ? 0 : totalBytes / 1e6 / (durationMillis / 1000.0);
    }
}
