package dev.cellar.backup;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.error.Futures;
import dev.cellar.globals.ClusterGlobals;
import dev.cellar.globals.DatabaseGlobalsQuery;
import dev.cellar.globals.GlobalsCapture;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.PgServerInfo;
import dev.cellar.pg.RunningProgram;
import dev.cellar.pg.SnapshotSession;
import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.repo.Actor;
import dev.cellar.repo.AuditedOperation;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.DatabaseGlobals;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.repo.StreamWriter;
import dev.cellar.storage.Retention;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A logical backup: pg_dump of one database, from an exported snapshot, streamed straight into
 * the chunk store (nothing is staged on disk), with exact per-table row counts taken on the same
 * snapshot while the dump runs, and the cluster-wide objects the database needs (roles,
 * memberships, tablespaces, database settings) beside it. The manifest is written last; until
 * then the backup does not exist, so a crash at any step leaves only unreferenced chunks for {@code gc}.
 */
public final class LogicalBackup {
    /** Below this database size the JIT warm-up costs more than the few chunks it would speed up. */
    static final long WARM_UP_MIN_BYTES = 64L << 20;
    /** pg_dump's own archive format, uncompressed: Cellar compresses each chunk itself. */
    public static final String STREAM_NAME = "dump";
    public static final String STREAM_FORMAT = "pg_dump-custom";
    /** The operation's name in the audit trail. */
    public static final String AUDIT_OPERATION = "backup.logical";

    private final Repository repository;
    private final DumpSource source;
    private final PgConnectionSpec database;
    private final LogicalBackupOptions options;
    private final ProgressListener progress;
    private final ClusterRun run;

    public LogicalBackup(Repository repository, DumpSource source, LogicalBackupOptions options, ProgressListener progress) {
        this(repository, source, options, progress, null);
    }

    /** @param run the whole-cluster run this backup is part of, with the globals it took once for all; null for a backup on its own */
    public LogicalBackup(Repository repository, DumpSource source, LogicalBackupOptions options, ProgressListener progress, ClusterRun run) {
        this.repository = repository;
        this.source = source;
        this.database = source.database();
        this.options = options;
        this.progress = progress;
        this.run = run;
    }

    /** Prepares the source itself: for callers that have no reason to do it earlier. */
    public LogicalBackup(Repository repository, PgConnectionSpec database, LogicalBackupOptions options, ProgressListener progress) {
        this(repository, DumpSource.prepare(database, options.binDir()), options, progress);
    }

    public BackupResult run() {
        // Audited from here on, however it ends: failed, interrupted by a signal, or done.
        try (AuditedOperation audit = AuditedOperation.begin(repository, AUDIT_OPERATION, database.describe())) {
            try {
                BackupResult result = lockAndBackUp(audit);
                audit.succeeded(result.storedBytes(), result.manifest().duration());
                return result;
            } catch (RuntimeException e) {
                audit.failed(e);
                throw e;
            }
        }
    }

    /**
     * Records in the audit trail a backup of {@code database} that failed before it could begin
     * (the database is gone or unreachable, no usable pg_dump), found while the repository was unlocked.
     */
    public static void auditFailedStart(Repository repository, PgConnectionSpec database, RuntimeException failure) {
        try (AuditedOperation audit = AuditedOperation.begin(repository, AUDIT_OPERATION, database.describe())) {
            audit.failed(failure);
        }
    }

    private BackupResult lockAndBackUp(AuditedOperation audit) {
        // 0. A backup that must be locked is refused at once by a storage that cannot lock it.
        options.worm().requireRetentionFor(BackupManifest.KIND_LOGICAL, database.database(), repository.storage());
        // 1. The server and a pg_dump at least as new as it: checked when the source was prepared.
        PgServerInfo server = source.server();
        PgBinaries binaries = source.binaries();
        String pgDumpVersion = source.pgDumpVersion().toString();

        // 2. Shared lock: other backups may run, gc may not.
        try (RepositoryLock.Held lock = repository.locks().acquireShared("backup logical " + database.database(), options.lockWait())) {
            Instant started = repository.clock().instant();
            String id = BackupId.next(started);
            long auditSequence = audit.started(id);
            return dumpAndCommit(id, started, server, binaries, pgDumpVersion, auditSequence);
        }
    }

    private BackupResult dumpAndCommit(String id, Instant started, PgServerInfo server, PgBinaries binaries, String pgDumpVersion,
                                       long auditSequence) {
        // 3. One snapshot for the catalog, the row counts and pg_dump.
        try (SnapshotSession snapshot = SnapshotSession.open(database)) {
            List<SnapshotSession.TableInfo> tables = snapshot.tables();
            // 3b. What the database needs from its cluster, on the same snapshot; then the cluster's
            //     globals (once per run), taken after the snapshot so they hold every role it names.
            DatabaseGlobals needs = snapshot.read(DatabaseGlobalsQuery::read);
            ClusterGlobals globals = run != null ? run.globals() : GlobalsCapture.take(database, server, binaries, repository.clock());
            if (snapshot.read(LogicalBackup::databaseBytes) < WARM_UP_MIN_BYTES) {
                JitWarmUp.notNeeded();
            }
            RunningProgram pgDump = startPgDump(binaries, snapshot.snapshotId());
            // every chunk written or reused under the backup's WORM lock, if it has one
            Retention lock = options.worm().lockFor(BackupManifest.KIND_LOGICAL, database.database(), started,
                repository.storage().serverTime()).orElse(null);
            try (pgDump; StreamWriter writer = new StreamWriter(repository, repository.chunks().lockedUntil(lock),
                    options.compressionLevel(), options.jobs())) {
                // 4. Row counts run on the snapshot's own connection while the dump streams.
                CompletableFuture<List<BackupManifest.TableEntry>> counts = CompletableFuture.supplyAsync(() -> countRows(snapshot, tables));
                // 5. Stream pg_dump's output through chunking, compression and encryption.
                StreamWriter.Written written;
                try (InputStream dump = pgDump.stdout()) {
                    written = writer.write(STREAM_NAME, STREAM_FORMAT, dump, progress);
                } catch (IOException e) {
                    throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "reading pg_dump's output failed: " + e.getMessage()
                            + "; pg_dump said: " + pgDump.stderrSummary());
                }
                // 6. pg_dump must have finished cleanly, or the stream is not a whole dump.
                pgDump.awaitSuccess("dumping " + database.describe());
                List<BackupManifest.TableEntry> tableEntries = Futures.join(counts);
                // 7. The globals, through the same writer: every backup of a run (and every unchanged
                //    capture) shares their chunks, and each backup's WORM lock covers them.
                StreamWriter.Written globalsWritten = writeGlobals(writer, globals);
                long storedBytes = written.storedBytes() + globalsWritten.storedBytes();
                // 8. Commit: the manifest is the last write.
                BackupManifest manifest = new BackupManifest(id, BackupManifest.KIND_LOGICAL, started, repository.clock().instant(),
                        database.database(), server.versionString(), "pg_dump " + pgDumpVersion,
                        database.host() + ":" + database.port(), Actor.current().toString(),
                        List.of(written.stream()), tableEntries, storedBytes, auditSequence, null).lockedBy(lock)
                        .withGlobals(new BackupManifest.GlobalsEntry(globalsWritten.stream(), run == null ? null : run.id(), needs,
                                globals.rolePasswords()));
                repository.manifests().save(manifest);
                return new BackupResult(manifest, written.newChunks() + globalsWritten.newChunks(),
                        written.newPlainBytes(), storedBytes);
            }
        }
    }

    private static StreamWriter.Written writeGlobals(StreamWriter writer, ClusterGlobals globals) {
        try {
            return writer.write(ClusterGlobals.STREAM_NAME, ClusterGlobals.STREAM_FORMAT, new ByteArrayInputStream(globals.toJson()),
                    ProgressListener.NONE);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "storing the cluster's globals failed: " + e.getMessage());
        }
    }

    private RunningProgram startPgDump(PgBinaries binaries, String snapshotId) {
        List<String> args = database.libpqArguments();
        args.addAll(List.of("--format=custom", "--compress=0", "--snapshot=" + snapshotId, "--dbname=" + database.database()));
        return RunningProgram.start(binaries.path("pg_dump"), args, database.libpqEnvironment(),
                ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE);
    }

    private static long databaseBytes(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<BackupManifest.TableEntry> countRows(SnapshotSession snapshot, List<SnapshotSession.TableInfo> tables) {
        List<BackupManifest.TableEntry> entries = new ArrayList<>();
        for (SnapshotSession.TableInfo t : tables) {
            entries.add(new BackupManifest.TableEntry(t.schema(), t.name(), snapshot.countRows(t), t.partitioned(), t.partitionOf(),
                    t.indexes(), t.constraints(), t.triggers(), t.sequences(), t.referencedBy(), t.dependentViews()));
        }
        return entries;
    }
}
