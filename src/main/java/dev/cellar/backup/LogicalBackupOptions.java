package dev.cellar.backup;

import dev.cellar.repo.WormPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one logical backup.
 *
 * @param binDir configured PostgreSQL bin folder, or null to search
 * @param worm   whether (and until when) the backup is written immutable
 */
public record LogicalBackupOptions(int compressionLevel, int jobs, Path binDir, Duration lockWait, WormPolicy worm) {

    public LogicalBackupOptions(int compressionLevel, int jobs, Path binDir, Duration lockWait) {
        this(compressionLevel, jobs, binDir, lockWait, WormPolicy.off());
    }
}
