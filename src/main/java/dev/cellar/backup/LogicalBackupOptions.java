package dev.cellar.backup;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one logical backup.
 *
 * @param binDir configured PostgreSQL bin folder, or null to search
 */
public record LogicalBackupOptions(int compressionLevel, int jobs, Path binDir, Duration lockWait) {
}
