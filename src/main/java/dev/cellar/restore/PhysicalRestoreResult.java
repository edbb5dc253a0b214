package dev.cellar.restore;

import java.nio.file.Path;

/**
 * What restoring a physical backup's files wrote.
 *
 * @param files          regular files written (labels and backup_manifest included)
 * @param bytes          bytes written
 * @param durationMillis wall time, fsync included
 * @param syncMillis     of which spent making files and folders durable
 */
public record PhysicalRestoreResult(String backupId, Path dataDir, int files, long bytes, long durationMillis, long syncMillis) {

    public double megabytesPerSecond() {
        return durationMillis == 0 ? 0 : bytes / 1e6 / (durationMillis / 1000.0);
    }
}
