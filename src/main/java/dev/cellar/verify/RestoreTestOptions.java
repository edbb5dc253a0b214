package dev.cellar.verify;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one test restore; they are passed on to the restore itself.
 *
 * @param workDir folder for the temporary archive (needs the dump's size free), or null for the system's
 * @param binDir  configured PostgreSQL bin folder, or null to search
 */
public record RestoreTestOptions(int jobs, Path workDir, Path binDir, Duration lockWait) {
}
