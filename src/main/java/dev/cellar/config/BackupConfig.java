package dev.cellar.config;

import java.nio.file.Path;

/**
 * How backups are made: compression effort, parallelism, scratch space and chunk size.
 *
 * @param compressionLevel zstd level 1..19; higher is smaller and slower
 * @param jobs             tables dumped or files copied in parallel
 * @param workDir          scratch space for temporary files; null is replaced by {@code java.io.tmpdir}
 * @param chunkAvgKib      average size of a deduplicated chunk, in KiB
 */
public record BackupConfig(int compressionLevel, int jobs, Path workDir, int chunkAvgKib) {
    public static final int DEFAULT_COMPRESSION_LEVEL = 6;
    public static final int DEFAULT_CHUNK_AVG_KIB = 512;

    public BackupConfig {
        ConfigKey.BACKUP_COMPRESSION_LEVEL.checkRange(compressionLevel);
        ConfigKey.BACKUP_JOBS.checkRange(jobs);
        ConfigKey.BACKUP_CHUNK_AVG_KIB.checkRange(chunkAvgKib);
        if (workDir == null) {
            workDir = Path.of(System.getProperty("java.io.tmpdir"));
        }
    }
}
