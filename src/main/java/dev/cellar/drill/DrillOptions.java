package dev.cellar.drill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one drill does.
 *
 * @param logical    restore the latest logical backup into a scratch database
 * @param physical   restore the physical backup + WAL into a scratch cluster (to the restore point, then to the latest)
 * @param objectives the default objective and each data category's
 * @param walWait    longest wait for the restore point's WAL segment to reach the archive
 * @param rpoWindow  how long the heartbeat runs before the disaster moment
 * @param workDir    where scratch clusters are created (each in a folder of its own, deleted at the end)
 * @param binDir     the configured PostgreSQL bin folder, or null
 * @param jobs       files or tables restored in parallel
 * @param lockWait   how long the logical restore waits for the repository lock
 * @param checkSet   the configured check set file (drill.checks), or null for the one shipped for the database
 */
public record DrillOptions(boolean logical, boolean physical, List<Objective> objectives, Duration walWait, Duration rpoWindow, Path workDir,
                           Path binDir, int jobs, Duration lockWait, Path checkSet) {
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(100);

    public DrillOptions {
        objectives = List.copyOf(objectives);
    }
}
