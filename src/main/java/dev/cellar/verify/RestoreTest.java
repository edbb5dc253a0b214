package dev.cellar.verify;

import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.BackupSubject;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.restore.LogicalRestore;
import dev.cellar.restore.LogicalRestoreOptions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code cellar verify --restore-test}: the only proof that a backup restores is restoring it.
 * Restores a logical backup into a scratch database, checks that every table came back with the
 * rows counted at backup time and that no foreign key is broken, then drops the scratch database
 * whether or not anything failed. A backup that cannot be restored at all (damaged, or refused
 * by pg_restore) raises the restore's own exception.
 */
public final class RestoreTest {
    public static final String AUDIT_OPERATION = "verify.restore-test";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Repository repository;
    private final PgConnectionSpec server;
    private final RestoreTestOptions options;
    private final ProgressListener progress;

    /** @param server a maintenance connection to the server that hosts the scratch database */
    public RestoreTest(Repository repository, PgConnectionSpec server, RestoreTestOptions options, ProgressListener progress) {
        this.repository = repository;
        this.server = server;
        this.options = options;
        this.progress = progress;
    }

    /** Tests a backup by id, or 'latest' when the repository holds backups of one database only. */
    public RestoreTestReport run(String backupIdOrLatest) {
        return run(backupIdOrLatest, BackupSubject.unnamed());
    }

    /**
     * Tests a backup by id, or the latest backup of {@code subject}. The audit record goes to the
     * trail, or, on a repository that refuses writes, to the repository's notices: a test restore
     * only reads the repository and must work from a read-only copy.
     */
    public RestoreTestReport run(String backupIdOrLatest, BackupSubject subject) {
        Instant started = repository.clock().instant();
        BackupManifest manifest = new BackupCatalog(repository).resolve(backupIdOrLatest, BackupManifest.KIND_LOGICAL, subject);
        try {
            RestoreTestReport report = test(manifest, started);
            repository.audit().appendForReading(AUDIT_OPERATION, manifest.id(), report.ok() ? AuditRecord.OK : AuditRecord.FAILED,
                    summary(report), manifest.totalBytes(), report.totalTime());
            return report;
        } catch (RuntimeException e) {
            repository.audit().appendFailureForReading(AUDIT_OPERATION, manifest.id(), e.getMessage(),
                    Duration.between(started, repository.clock().instant()), e);
            throw e;
        }
    }

    private record Findings(String scratchDatabase, List<TableCheck> tables, List<ForeignKeyCheck> foreignKeys, Duration restoreTime) {
    }

    private RestoreTestReport test(BackupManifest manifest, Instant started) {
        Findings findings;
        // 1. A name no database has; whatever happens next, that database is dropped at the end.
        try (ScratchDatabase scratch = ScratchDatabase.reserve(server, RANDOM)) {
            // 2. Restore the whole backup, exactly as 'cellar restore' would.
            Instant restoreStarted = repository.clock().instant();
            new LogicalRestore(repository, server, restoreOptions(scratch.name()), progress).run(manifest.id());
            Duration restoreTime = Duration.between(restoreStarted, repository.clock().instant());
            // 3. Every table back with its rows, and no row orphaned behind a foreign key.
            try (Connection restored = scratch.connection().connect()) {
                findings = new Findings(scratch.name(),
                        RowCountComparison.compare(manifest.tables(), RestoredRowCounts.of(restored, manifest.tables())),
                        ForeignKeyOrphanCheck.run(restored), restoreTime);
            } catch (SQLException closing) {
                throw scratch.connection().unreachable(closing);
            }
        }
        boolean ok = findings.tables().stream().allMatch(TableCheck::ok) && findings.foreignKeys().stream().allMatch(ForeignKeyCheck::ok);
        return new RestoreTestReport(manifest.id(), findings.scratchDatabase(), findings.tables(), findings.foreignKeys(),
                findings.restoreTime(), Duration.between(started, repository.clock().instant()), ok);
    }

    /**
     * Without owners and grants: the scratch database may live on a server that lacks the
     * source's roles, where pg_restore would fail on ALTER OWNER although the data is sound, and
     * ownership is not what this test proves.
     */
    private LogicalRestoreOptions restoreOptions(String scratchDatabase) {
        return new LogicalRestoreOptions(scratchDatabase, List.of(), false, true, options.jobs(), options.workDir(), options.binDir(),
                options.lockWait());
    }

    private static String summary(RestoreTestReport report) {
        return "scratch database " + report.scratchDatabase() + ": " + report.tables().size() + " table(s), "
                + report.tableMismatches().size() + " row count mismatch(es), " + report.foreignKeys().size() + " foreign key(s), "
                + report.brokenForeignKeys().size() + " with orphans";
    }
}
