package dev.cellar.backup;

import dev.cellar.repo.WormPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one physical backup.
 *
 * @param incremental          reuse the newest physical backup's unchanged files
 * @param dataDir              data directory to copy, or null for the one the server reports
 * @param compressionLevel     zstd level for the data blocks
 * @param walCompressionLevel  zstd level for the WAL segments the backup archives
 * @param worm                 whether (and until when) the backup, and the WAL of its own range, are written immutable
 */
public record PhysicalBackupOptions(boolean incremental, Path dataDir, int jobs, int compressionLevel, int walCompressionLevel,
                                    Duration lockWait, WormPolicy worm) {

    public PhysicalBackupOptions(boolean incremental, Path dataDir, int jobs, int compressionLevel, int walCompressionLevel,
                                 Duration lockWait) {
        this(incremental, dataDir, jobs, compressionLevel, walCompressionLevel, lockWait, WormPolicy.off());
    }

    /**
     * Level 1: on table pages it stores within a few percent of level 3 and is markedly faster
     * (see docs/physical-backup.md for the measurement).
     */
    public static final int DEFAULT_COMPRESSION_LEVEL = 1;
    /** Blocks of 1 MiB: a fraction of a relation segment, small enough that a changed row stores little. */
    public static final int BLOCK_SIZE = 1024 * 1024;
}
