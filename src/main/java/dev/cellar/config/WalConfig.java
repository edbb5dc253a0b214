package dev.cellar.config;

import java.nio.file.Path;

/**
 * How WAL is archived and streamed.
 *
 * @param spoolPath          local folder for the WAL agent's socket, markers of segments already
 *                           shipped, and WAL fetched ahead during recovery; null for
 *                           {@code <java.io.tmpdir>/cellar-spool-<user>}
 * @param compressionLevel   zstd level for WAL segments (WAL is written once and read rarely, but
 *                           must keep up with the server: low levels)
 * @param agentIdleMinutes   minutes an idle WAL agent waits before it exits (0: never)
 * @param rpoSeconds         longest time WAL received by {@code cellar wal stream} may stay only
 *                           on this host before the partial segment is shipped to the repository
 * @param streamSlot         replication slot {@code cellar wal stream} uses
 */
public record WalConfig(Path spoolPath, int compressionLevel, int agentIdleMinutes, int rpoSeconds, String streamSlot) {
    public static final int DEFAULT_COMPRESSION_LEVEL = 1;
    public static final int DEFAULT_AGENT_IDLE_MINUTES = 30;
    public static final int DEFAULT_RPO_SECONDS = 1;
    public static final String DEFAULT_STREAM_SLOT = "cellar";

    public WalConfig {
        ConfigKey.WAL_COMPRESSION_LEVEL.checkRange(compressionLevel);
        ConfigKey.WAL_AGENT_IDLE_MINUTES.checkRange(agentIdleMinutes);
        ConfigKey.WAL_RPO_SECONDS.checkRange(rpoSeconds);
        if (spoolPath == null) {
            spoolPath = Path.of(System.getProperty("java.io.tmpdir"), "cellar-spool-" + System.getProperty("user.name"));
        }
    }
}
