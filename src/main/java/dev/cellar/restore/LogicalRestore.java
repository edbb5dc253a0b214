package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.erasure.ErasureReapplication;
import dev.cellar.lifecycle.erasure.ErasureReapplier;
import dev.cellar.pg.ArchiveToc;
import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.pg.CustomArchiveIndexer;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.PgServerInfo;
import dev.cellar.pg.PgVersion;
import dev.cellar.pg.SnapshotSession;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.BackupManifest.TableEntry;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.repo.StreamReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Restores a logical backup into a database. A whole database is restored while its archive is
 * read, into a database that is new until the restore succeeded, so a damaged chunk costs nothing
 * but that new database; single tables (and archives the streamed path does not handle) are
 * fetched and authenticated into a temporary archive <em>before</em> the target is touched. A forced restore over an existing database restores into a fresh database first
 * and swaps names only after pg_restore succeeded: a failed restore never costs the old data.
 * A restore of single tables runs as one transaction, after a check that everything built on
 * them can be re-created as it is ({@link TocFilter}): all of it comes back, or nothing changes.
 */
public final class LogicalRestore {
    /** Below this many bytes of dump the JIT warm-up costs more than the dozen chunks it would speed up. */
    static final long WARM_UP_MIN_BYTES = 16L << 20;
    private final Repository repository;
    private final RestoreTarget target;
    private final PgConnectionSpec server;
    private final LogicalRestoreOptions options;
    private final ProgressListener progress;
    private ErasureReapplier erasures;

    public LogicalRestore(Repository repository, RestoreTarget target, LogicalRestoreOptions options, ProgressListener progress) {
        this.repository = repository;
        this.target = target;
        this.server = target.server();
        this.options = options;
        this.progress = progress;
    }

    /** @param server where to restore; its database name is used for maintenance connections */
    public LogicalRestore(Repository repository, PgConnectionSpec server, LogicalRestoreOptions options, ProgressListener progress) {
        this(repository, RestoreTarget.prepare(server, options.binDir()), options, progress);
    }

    /**
     * Re-apply the erasure ledger of the backed-up database to what is restored, before it is
     * handed over: before the rename of a forced whole-database restore, right after the
     * transaction of a table restore (docs/gdpr.md).
     */
    public LogicalRestore reapplyingErasures(ErasureReapplier reapplier) {
        this.erasures = reapplier;
        return this;
    }

    public RestoreResult run(String backupIdOrLatest) {
        Instant started = repository.clock().instant();
        BackupManifest manifest = new BackupCatalog(repository).resolve(backupIdOrLatest, BackupManifest.KIND_LOGICAL);
        String target = options.targetDatabase();
        // the roles and tablespaces the backup names exist here, or are created (--create-roles), or
        // the restore is refused before anything is created; roles it created go again on failure
        try (GlobalsRestore globals = GlobalsRestore.prepare(repository, manifest, this.target, options)) {
            RestoreResult result = restore(manifest, target, started, globals).with(globals.report());
            globals.keep();
            repository.audit().appendForReading("restore.logical", target, AuditRecord.OK, manifest.id() + tablesNote()
                    + (result.erasures() == null ? "" : result.erasures().auditNote()), result.bytes(), result.duration());
            return result;
        } catch (RuntimeException e) {
            repository.audit().appendFailureForReading("restore.logical", target, manifest.id() + ": " + e.getMessage(),
                    Duration.between(started, repository.clock().instant()), e);
            throw e;
        }
    }

    private RestoreResult restore(BackupManifest manifest, String target, Instant started, GlobalsRestore globals) {
        // 1. The server, and a pg_restore that reads archives of the pg_dump that wrote this one.
        PgBinaries binaries = this.target.binaries();
        binaries.requireAtLeast("pg_restore", PgVersion.parse(manifest.toolVersion()));
        List<TableEntry> selected = selectTables(manifest);
        boolean exists = databaseExists(target);
        if (exists && selected.isEmpty() && !options.force()) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "database " + target + " already exists on " + server.host() + ":" + server.port(),
                    "choose another --target-db, or pass --force to replace it (the old database is kept until the restore succeeded)");
        }
        if (manifest.streams().get(0).size() < WARM_UP_MIN_BYTES) {
            JitWarmUp.notNeeded();
        }
        // 2. A whole database loads its rows straight from the stream when its archive allows it;
        //    otherwise, fetch and authenticate the whole archive before touching the target. The
        //    shared lock keeps gc from deleting chunks while they are read (none on a read-only repository).
        if (selected.isEmpty()) {
            try (RepositoryLock.Held lock = repository.locks().acquireForReading("restore logical " + manifest.id(), options.lockWait());
                 ArchiveStreamRead read = new ArchiveStreamRead(repository, manifest.streams().get(0), options.jobs(), progress)) {
                StreamedRestorePlan plan = streamedPlan(read, manifest);
                if (plan.streamed()) {
                    return restoreStreamed(manifest, target, exists, started, globals, binaries, read, plan);
                }
                progress.progress("restoring through a temporary archive: " + plan.fallbackReason(), 0, 0);
            }
        }
        Path archive;
        try (RepositoryLock.Held lock = repository.locks().acquireForReading("restore logical " + manifest.id(), options.lockWait())) {
            archive = materialise(manifest);
        }
        try {
            globals.createMissingRoles();
            if (!selected.isEmpty()) {
                return restoreTables(manifest, selected, target, exists, archive, binaries, started, globals);
            }
            String restoreInto = exists ? sideName(target, "new") : target;
            ErasureReapplication reapplied;
            // 3. A fresh database from template0, as pg_dump's documentation asks.
            createDatabase(restoreInto);
            try {
                runPgRestore(binaries, archive, restoreInto, List.of("--jobs=" + Math.max(1, options.jobs())),
                        "restoring into database " + restoreInto, exists
                                ? "the new database " + restoreInto + " is dropped and database " + target + " is unchanged"
                                : "database " + target + ", created for this restore, is dropped again");
                globals.applyTo(restoreInto);
                globals.recordSkipped(archive, List.of());
                reapplied = reapplyErasures(restoreInto, manifest);
            } catch (RuntimeException e) {
                dropDatabaseQuietly(restoreInto);
                throw e;
            }
            // 4. Only now replace the old database.
            if (exists) {
                swap(restoreInto, target);
            }
            return new RestoreResult(manifest.id(), target, List.of(), manifest.totalBytes(),
                    Duration.between(started, repository.clock().instant()), exists, List.of(), List.of(), List.of(), List.of())
                    .with(reapplied);
        } finally {
            deleteQuietly(archive);
        }
    }

    /** What the archive's table of contents allows; a format this reader does not know takes the materialised path. */
    private static StreamedRestorePlan streamedPlan(ArchiveStreamRead read, BackupManifest manifest) {
        try {
            return StreamedRestorePlan.of(read.archive().head());
        } catch (ArchiveToc.UnsupportedArchiveException e) {
            return StreamedRestorePlan.fallback(e.getMessage());
        } catch (CellarException e) {
            throw e.code() == ErrorCode.INTEGRITY ? damaged(manifest, e) : e;
        } catch (IOException e) {
            throw damaged(manifest, e);
        }
    }

    /**
     * Restores a whole database while its archive is read: pg_restore creates the schema from the
     * table of contents alone, the rows go from the stream straight into COPY on {@code --jobs}
     * connections, then pg_restore restores the rest of the data section (sequence values) and
     * the post-data section (indexes, constraints, triggers, materialized views) in parallel. The
     * database is new until the end; a damaged chunk anywhere drops it, and the old one stays.
     */
    private RestoreResult restoreStreamed(BackupManifest manifest, String target, boolean exists, Instant started, GlobalsRestore globals,
                                          PgBinaries binaries, ArchiveStreamRead read, StreamedRestorePlan plan) {
        Path head = temporaryArchive(manifest);
        Path listFile = head.resolveSibling(head.getFileName() + ".list");
        String restoreInto = exists ? sideName(target, "new") : target;
        String doing = "restoring into database " + restoreInto;
        String outcome = exists ? "the new database " + restoreInto + " is dropped and database " + target + " is unchanged"
                : "database " + target + ", created for this restore, is dropped again";
        ErasureReapplication reapplied;
        try {
            Files.write(head, read.archive().head().bytes());
            globals.createMissingRoles();
            createDatabase(restoreInto);
            try {
                runPgRestore(binaries, head, restoreInto, List.of("--section=pre-data"), doing, outcome);
                loadRows(manifest, restoreInto, read, plan, outcome);
                if (!plan.dataListFile().isEmpty()) {
                    Files.write(listFile, plan.dataListFile(), StandardCharsets.UTF_8);
                    runPgRestore(binaries, head, restoreInto, List.of("--section=data", "--use-list=" + listFile), doing, outcome);
                }
                runPgRestore(binaries, head, restoreInto, List.of("--section=post-data", "--jobs=" + Math.max(1, options.jobs())),
                        doing, outcome);
                globals.applyTo(restoreInto);
                globals.recordSkipped(head, List.of());
                reapplied = reapplyErasures(restoreInto, manifest);
            } catch (RuntimeException | IOException e) {
                dropDatabaseQuietly(restoreInto);
                throw e;
            }
        } catch (IOException e) {
            throw new CellarException(ErrorCode.STORAGE_FULL, "cannot write " + head + " or the list beside it: " + e.getMessage());
        } finally {
            deleteQuietly(head);
            deleteQuietly(listFile);
        }
        if (exists) {
            swap(restoreInto, target);
        }
        return new RestoreResult(manifest.id(), target, List.of(), manifest.totalBytes(),
                Duration.between(started, repository.clock().instant()), exists, List.of(), List.of(), List.of(), List.of())
                .with(reapplied).streamed();
    }

    /** Every data block of the archive, as it arrives, into COPY on {@code --jobs} connections. */
    private void loadRows(BackupManifest manifest, String database, ArchiveStreamRead read, StreamedRestorePlan plan, String outcome) {
        String session = "cellar restore " + Long.toHexString(System.nanoTime());
        progress.progress("loading rows into " + database, 0, 0);
        try (CopyLoader loader = new CopyLoader(server.withDatabase(database), Math.max(1, options.jobs()), plan.clientEncoding(), session)) {
            try {
                RowBatcher.batches(read.archive(), plan.copyStatements(), loader.batchBytes(), loader::buffer, loader::load);
            } catch (IOException | RuntimeException e) {
                if (e instanceof CellarException ce && ce.code() != ErrorCode.INTEGRITY) {
                    throw ce;
                }
                throw damaged(manifest, e);
            }
            loader.finish();
        } catch (CellarException e) {
            if (e.code() == ErrorCode.INTEGRITY) {
                throw e;
            }
            throw new CellarException(e.code(), e.getMessage() + "; " + outcome, e.hint(), e);
        }
    }

    /** A chunk failed authentication, or the archive in it does not parse: either way the backup cannot be restored as it is. */
    private static CellarException damaged(BackupManifest manifest, Exception e) {
        String message = e instanceof CellarException ce ? ce.getMessage() : "its archive does not parse: " + e.getMessage();
        return new CellarException(ErrorCode.INTEGRITY, "backup " + manifest.id() + " is damaged and was not restored: " + message,
                "restore an older backup ('cellar list'), or repair the repository from another copy", e);
    }

    private Path temporaryArchive(BackupManifest manifest) {
        Path workDir = options.workDir() != null ? options.workDir() : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Files.createDirectories(workDir);
            return Files.createTempFile(workDir, "cellar-restore-" + manifest.id() + "-", ".dump");
        } catch (IOException e) {
            throw new CellarException(ErrorCode.STORAGE_FULL, "cannot create a temporary file in " + workDir + ": " + e.getMessage(),
                    "set backup.work-dir to a writable folder");
        }
    }

    private RestoreResult restoreTables(BackupManifest manifest, List<TableEntry> selected, String target, boolean exists, Path archive,
                                        PgBinaries binaries, Instant started, GlobalsRestore globals) {
        if (exists) {
            return restoreTablesInto(manifest, selected, target, false, archive, binaries, started, globals);
        }
        // a database created only for these tables goes again if they cannot be restored
        createDatabase(target);
        try {
            return restoreTablesInto(manifest, selected, target, true, archive, binaries, started, globals);
        } catch (RuntimeException e) {
            dropDatabaseQuietly(target);
            throw e;
        }
    }

    /**
     * Restores the tables, everything that belongs to them and the objects built on them in one
     * transaction: either all of it is as in the backup, or the target is as it was.
     */
    private RestoreResult restoreTablesInto(BackupManifest manifest, List<TableEntry> selected, String target, boolean created,
                                            Path archive, PgBinaries binaries, Instant started, GlobalsRestore globals) {
        List<String> names = selected.stream().map(TableEntry::qualifiedName).toList();
        // 1. Existing tables are replaced only when asked to.
        Set<String> present = created ? Set.of() : existingTables(target);
        List<String> clashes = names.stream().filter(present::contains).toList();
        if (!clashes.isEmpty() && !options.force()) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "table(s) " + String.join(", ", clashes) + " already exist in database " + target,
                    "drop or rename them first, or pass --force to drop and restore them");
        }
        // 2. What comes back, checked against what the target holds now, before anything is touched.
        ArchiveToc toc = readToc(archive, manifest);
        ArchiveToc live = created ? ArchiveToc.empty() : LiveSchema.of(binaries, server.withDatabase(target), archive.getParent());
        TableRestorePlan plan = plan(manifest, toc, live, names);
        plan.requireNoConflicts(names, target);
        // 3. One transaction drops the old tables and their dependents and creates all of them again.
        Path listFile = archive.resolveSibling(archive.getFileName() + ".list");
        try {
            toc.commentOutDropStatements(plan.tableParts());
            Files.write(listFile, plan.listFile(), StandardCharsets.UTF_8);
            runPgRestore(binaries, archive, target, List.of("--use-list=" + listFile, "--single-transaction", "--clean", "--if-exists"),
                    "restoring table(s) " + String.join(", ", names) + " into database " + target,
                    created ? "database " + target + ", created for this restore, is dropped again"
                            : "the restore ran as one transaction, which was rolled back: database " + target + " is unchanged");
            globals.recordSkipped(archive, List.of("--use-list=" + listFile));
        } catch (IOException e) {
            throw new CellarException(ErrorCode.STORAGE_FULL, "cannot write " + listFile + " or the archive beside it: " + e.getMessage());
        } finally {
            deleteQuietly(listFile);
        }
        // 4. The restored tables may hold rows of subjects erased since the backup: erase them again.
        ErasureReapplication reapplied = reapplyErasures(target, manifest);
        return new RestoreResult(manifest.id(), target, names, manifest.totalBytes(), Duration.between(started, repository.clock().instant()),
                !clashes.isEmpty(), plan.foreignKeysLeftOut(), plan.recreated(), plan.added(), plan.leftOut()).with(reapplied);
    }

    private ErasureReapplication reapplyErasures(String database, BackupManifest manifest) {
        return erasures == null ? null : erasures.reapply(repository, server.withDatabase(database), manifest.database());
    }

    private TableRestorePlan plan(BackupManifest manifest, ArchiveToc toc, ArchiveToc live, List<String> tables) {
        try {
            return TocFilter.plan(toc, live, tables, options.noOwner());
        } catch (IllegalArgumentException e) {
            throw new CellarException(ErrorCode.NOT_FOUND, "backup " + manifest.id() + " lists a table its archive lacks: " + e.getMessage(),
                    "restore the whole backup into another database (--target-db) and copy the tables you need from it");
        }
    }

    private static ArchiveToc readToc(Path archive, BackupManifest manifest) {
        try {
            return ArchiveToc.read(archive);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "cannot read the table of contents of backup " + manifest.id()
                    + " to restore single tables; nothing was changed: " + e.getMessage(),
                    "restore the whole backup into another database (--target-db) and copy the tables you need from it");
        }
    }

    /** The requested tables, plus every partition below a requested partitioned table. */
    private List<TableEntry> selectTables(BackupManifest manifest) {
        List<TableEntry> selected = new ArrayList<>();
        for (String wanted : options.tables()) {
            String qualified = wanted.contains(".") ? wanted : "public." + wanted;
            TableEntry entry = manifest.tables().stream().filter(t -> t.qualifiedName().equals(qualified)).findFirst()
                    .orElseThrow(() -> new CellarException(ErrorCode.NOT_FOUND, "backup " + manifest.id() + " has no table " + qualified,
                            "'cellar show " + manifest.id() + "' lists its tables"));
            addWithPartitions(entry, manifest.tables(), selected);
        }
        return selected;
    }

    private static void addWithPartitions(TableEntry entry, List<TableEntry> all, List<TableEntry> into) {
        if (into.contains(entry)) {
            return;
        }
        into.add(entry);
        for (TableEntry t : all) {
            if (entry.qualifiedName().equals(t.partitionOf())) {
                addWithPartitions(t, all, into);
            }
        }
    }

    private Path materialise(BackupManifest manifest) {
        BackupManifest.StreamEntry stream = manifest.streams().get(0);
        Path workDir = options.workDir() != null ? options.workDir() : Path.of(System.getProperty("java.io.tmpdir"));
        Path archive;
        try {
            Files.createDirectories(workDir);
            archive = Files.createTempFile(workDir, "cellar-restore-" + manifest.id() + "-", ".dump");
        } catch (IOException e) {
            throw new CellarException(ErrorCode.STORAGE_FULL, "cannot create a temporary archive in " + workDir + ": " + e.getMessage(),
                    "set backup.work-dir to a folder with at least " + stream.size() / (1 << 20) + " MiB free");
        }
        try {
            try (StreamReader reader = new StreamReader(repository, options.jobs());
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 20)) {
                reader.read(stream, out, progress);
            }
            // pg_dump wrote to a pipe, so the archive lacks data offsets; without them every
            // parallel pg_restore worker would scan the archive from the start.
            CustomArchiveIndexer.index(archive);
            return archive;
        } catch (IOException e) {
            deleteQuietly(archive);
            throw new CellarException(ErrorCode.STORAGE_FULL, "cannot write the temporary archive " + archive + ": " + e.getMessage(),
                    "set backup.work-dir to a folder with at least " + stream.size() / (1 << 20) + " MiB free");
        } catch (RuntimeException e) {
            deleteQuietly(archive);
            if (e instanceof CellarException ce && ce.code() == ErrorCode.INTEGRITY) {
                throw new CellarException(ErrorCode.INTEGRITY, "backup " + manifest.id() + " is damaged and was not restored: " + ce.getMessage(),
                        "restore an older backup ('cellar list'), or repair the repository from another copy", ce);
            }
            throw e;
        }
    }

    /**
     * Runs pg_restore into {@code database}, stopping at its first error.
     *
     * @param doing   what it does, for a failure's message
     * @param outcome what a failure leaves behind, for its message
     */
    private void runPgRestore(PgBinaries binaries, Path archive, String database, List<String> extra, String doing, String outcome) {
        List<String> args = server.libpqArguments();
        args.add("--dbname=" + database);
        args.add("--exit-on-error");
        // pg_restore turns row_security off by default, so that REFRESH MATERIALIZED VIEW fails
        // ("query would be affected by row-level security policy") when the view reads a table
        // whose RLS is forced on its owner. With it on, the refresh sees what it saw in the source;
        // loading rows is unaffected: a role that bypasses RLS bypasses it, any other gets an error.
        args.add("--enable-row-security");
        if (options.noOwner()) {
            args.add("--no-owner");
            args.add("--no-privileges");
        }
        args.addAll(extra);
        args.add(archive.toString());
        progress.progress("pg_restore into " + database, 0, 0);
        Map<String, String> environment = new HashMap<>(server.libpqEnvironment());
        // pg_restore commits once per table and index; waiting for each commit's WAL flush buys
        // nothing for a restore that is rerun whole if the server crashes. flushCommits() makes
        // everything durable at the end.
        environment.put("PGOPTIONS", "-c synchronous_commit=off");
        String session = "cellar restore " + Long.toHexString(System.nanoTime());
        environment.put("PGAPPNAME", session);
        String archiveName = archive.getFileName().toString();
        Path log = archive.resolveSibling(archiveName.substring(0, archiveName.length() - ".dump".length()) + ".log");
        try {
            PgRestoreRun.run(binaries.path("pg_restore"), args, environment, log, doing, outcome);
        } catch (CellarException e) {
            endSessions(session);
            throw e;
        }
        flushCommits(database);
    }

    /**
     * Ends what is left of a failed pg_restore on the server. A killed pg_restore leaves its
     * session running until the server next reads from it, which a statement waiting for a lock
     * may not do for hours; ending it rolls its transaction back now, so the target is as before
     * when Cellar reports the failure.
     */
    private void endSessions(String applicationName) {
        try (Connection c = server.connect();
             var terminate = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?");
             var count = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            terminate.setString(1, applicationName);
            terminate.execute();
            count.setString(1, applicationName);
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        } catch (SQLException | CellarException ignored) {
            // the server rolls the session back itself once it notices pg_restore is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A synchronous commit after the asynchronous ones flushes the WAL of all of them. */
    private void flushCommits(String database) {
        try (Connection c = server.withDatabase(database).connect(); Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = on");
            st.execute("SELECT txid_current()");
        } catch (SQLException e) {
            throw server.unreachable(e);
        }
    }

    private boolean databaseExists(String name) {
        try (Connection c = server.connect(); var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw server.unreachable(e);
        }
    }

    private Set<String> existingTables(String database) {
        Set<String> tables = new HashSet<>();
        try (Connection c = server.withDatabase(database).connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'p', 'v', 'm')")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            return tables;
        } catch (SQLException e) {
            throw server.unreachable(e);
        }
    }

    private void createDatabase(String name) {
        execute("CREATE DATABASE " + SnapshotSession.quoteIdentifier(name) + " TEMPLATE template0");
    }

    /**
     * Puts the restored database in the target's place. The old one is renamed aside first (under a
     * fresh name, so nothing else is ever dropped) and only dropped once the new one has its name; if a
     * rename fails, the old database keeps or gets back its name and the restored copy is dropped.
     */
    private void swap(String restored, String target) {
        String old = sideName(target, "old");
        try {
            execute("ALTER DATABASE " + SnapshotSession.quoteIdentifier(target) + " RENAME TO " + SnapshotSession.quoteIdentifier(old));
        } catch (CellarException e) {
            dropDatabaseQuietly(restored);
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "database " + target + " could not be replaced and is unchanged: "
                    + e.getMessage(), "close the other sessions on " + target + " (ALTER DATABASE … RENAME needs it idle), then retry", e);
        }
        try {
            execute("ALTER DATABASE " + SnapshotSession.quoteIdentifier(restored) + " RENAME TO " + SnapshotSession.quoteIdentifier(target));
        } catch (CellarException e) {
            execute("ALTER DATABASE " + SnapshotSession.quoteIdentifier(old) + " RENAME TO " + SnapshotSession.quoteIdentifier(target));
            dropDatabaseQuietly(restored);
            throw e;
        }
        execute("DROP DATABASE " + SnapshotSession.quoteIdentifier(old) + " WITH (FORCE)");
    }

    /** A fresh name beside {@code target}, short enough that PostgreSQL's 63-byte limit never cuts off the suffix. */
    private static String sideName(String target, String role) {
        StringBuilder prefix = new StringBuilder();
        int bytes = 0;
        for (int cp : target.codePoints().toArray()) {
            bytes += Character.toString(cp).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > 40) {
                break;
            }
            prefix.appendCodePoint(cp);
        }
        return prefix + "_cellar_" + role + "_" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    private void dropDatabaseQuietly(String name) {
        try {
            execute("DROP DATABASE IF EXISTS " + SnapshotSession.quoteIdentifier(name) + " WITH (FORCE)");
        } catch (CellarException ignored) {
            // the original error matters more
        }
    }

    private void execute(String sql) {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "'" + sql + "' failed on " + server.host() + ":" + server.port()
                    + ": " + e.getMessage(), "the restoring role needs CREATEDB (and ownership of a database it replaces)");
        }
    }

    private String tablesNote() {
        return options.tables().isEmpty() ? "" : " tables " + String.join(",", options.tables());
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover temp file is reported nowhere but harms nothing
        }
    }
}
