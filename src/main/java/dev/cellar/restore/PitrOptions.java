package dev.cellar.restore;

import dev.cellar.pg.PgConnectionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What {@code cellar restore pitr} was asked to do.
 *
 * @param dataDir          where the cluster is restored
 * @param force            delete what is in {@code dataDir} first
 * @param backupId         the backup to start from, or null to pick the newest one before the target
 * @param target           where recovery stops
 * @param start            start the server and wait for it to reach the target
 * @param port             port for the restored server (written to postgresql.auto.conf), or null to keep the backup's
 * @param archiveModeOff   switch WAL archiving off in the restored cluster (test restores and drills must not
 *                         archive into the production repository)
 * @param spool            folder for WAL fetched ahead
 * @param tablespaceRemap  new locations for tablespaces, by oid
 * @param jobs             files restored in parallel
 * @param cellarCommand    how {@code restore_command} runs Cellar (program and repository options)
 * @param connection       how to reach the restored server once started (host, user; the port is replaced)
 * @param timeout          longest wait for recovery to reach its target
 * @param binDir           configured PostgreSQL bin folder, or null
 * @param thawFor          with --restore-request, how long thawed WAL stays readable; null to refuse archived WAL
 * @param repositoryFolder the repository's folder when it is on a local disk (the spool must stay out of it), else null
 */
public record PitrOptions(Path dataDir, boolean force, String backupId, RecoveryTarget target, boolean start, Integer port,
                          boolean archiveModeOff, Path spool, Map<Long, Path> tablespaceRemap, int jobs,
                          CellarProgram cellarCommand, PgConnectionSpec connection, Duration timeout, Path binDir,
                          Duration thawFor, Path repositoryFolder) {
}
