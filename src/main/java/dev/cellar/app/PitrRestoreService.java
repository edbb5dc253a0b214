package dev.cellar.app;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.lifecycle.erasure.ErasureLedger;
import dev.cellar.lifecycle.erasure.ErasureReapplication;
import dev.cellar.lifecycle.erasure.LedgerContents;
import dev.cellar.lifecycle.erasure.LedgerErasureReapplier;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.restore.CellarProgram;
import dev.cellar.restore.PitrOptions;
import dev.cellar.restore.PitrRestore;
import dev.cellar.restore.PitrResult;
import dev.cellar.restore.RecoveryTarget;
import dev.cellar.wal.WalArchive;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Restores a physical backup into a data directory and recovers it to a point in time from the
 * WAL archive (optionally starting the server and waiting for recovery to end).
 *
 * <p>For the daemon: never a scheduled job (it writes a data directory). Reads the repository
 * secret and the database password (may prompt through the context's prompter); takes the
 * repository lock for reading, without waiting for it. With {@code start} it blocks until recovery ends or the time-out passes.
 * Progress goes to the listener given.
 */
public final class PitrRestoreService {
    private final CellarContext context;

    public PitrRestoreService(CellarContext context) {
        this.context = context;
    }

    /**
     * What to restore, where, and to which point.
     *
     * @param backupId        the backup to start from, or null to let the target choose
     * @param tablespaceRemap tablespace oid to the folder it is restored into
     * @param thawFor         with an archive storage class: start the thaw, keep thawed copies this long, and stop; else null
     * @param cellarCommand   how PostgreSQL's restore_command calls Cellar back
     */
    public record Request(Path dataDir, boolean force, String backupId, RecoveryTarget target, boolean start, Integer port,
                          boolean archiveModeOff, Map<Long, Path> tablespaceRemap, int jobs, Duration timeout, Duration thawFor,
                          CellarProgram cellarCommand) {
    }

    public PitrResult restore(Request request, ProgressListener progress) {
        CellarConfig config = context.config();
        // every restored MiB is one chunk to authenticate: AES-GCM compiled while the key is derived
        JitWarmUp.decryptionSoon();
        Repository repository = context.openRepository();
        PitrOptions options = new PitrOptions(request.dataDir().toAbsolutePath().normalize(), request.force(), request.backupId(),
                request.target(), request.start(), request.port(), request.archiveModeOff(), config.wal().spoolPath().toAbsolutePath(),
                request.tablespaceRemap(), request.jobs(), request.cellarCommand(), context.database(), request.timeout(),
                config.postgres().binDir(), request.thawFor(), localRepositoryFolder(config));
        PitrResult result = new PitrRestore(repository, new WalArchive(repository, config.wal().compressionLevel()), options, progress).run();
        return reapplyErasures(repository, request, result);
    }

    /**
     * A promoted server is handed over: the ledger's erasures are re-applied to each of its
     * databases the ledger names first. A server paused at the target, shut down or not started is
     * still in recovery (read-only): the result counts what must be re-applied by hand once it is
     * promoted, and says how (docs/gdpr.md).
     */
    private PitrResult reapplyErasures(Repository repository, Request request, PitrResult result) {
        LedgerContents ledger = ErasureLedger.of(repository).read();
        List<String> databases = ledger.requests().stream().filter(LedgerContents.Request::isApplied).map(r -> r.request().database())
                .distinct().toList();
        int pending = databases.stream().mapToInt(db -> ledger.appliedTo(db).size()).sum();
        if (pending == 0) {
            return result.with(ErasureReapplication.nothingRecorded(), 0, List.of());
        }
        if (!"promoted".equals(result.state()) || request.port() == null) {
            return result.with(null, pending, List.of(pending + (pending == 1 ? " erasure" : " erasures") + " of the erasure ledger must be "
                    + "re-applied before this server is used: once it is promoted, run 'cellar gdpr reapply --port PORT --target-db "
                    + String.join("|", databases) + "' for each database" + (request.port() == null ? " (pass --port to let the restore do it)" : "")));
        }
        PgConnectionSpec restored = context.database();
        restored = new PgConnectionSpec(restored.host(), request.port(), restored.user(), "postgres", restored.password(), restored.tls());
        Set<String> present = databasesOf(restored);
        int entries = 0;
        int found = 0;
        long rows = 0;
        List<String> warnings = new ArrayList<>();
        for (String database : databases) {
            if (!present.contains(database)) {
                continue;
            }
            ErasureReapplication done = new LedgerErasureReapplier().reapply(repository, restored.withDatabase(database), database);
            entries += done.ledgerEntries();
            found += done.subjectsFound();
            rows += done.rowsChanged();
            warnings.addAll(done.warnings());
        }
        ErasureReapplication done = new ErasureReapplication(entries, found, rows, warnings);
        // the restore's own record was written before the server was handed over: this one is the evidence (docs/reports.md)
        repository.audit().appendForReading("gdpr.reapply", request.dataDir().toAbsolutePath().normalize().toString(), AuditRecord.OK,
                "after restore pitr" + done.auditNote(), 0, null);
        return result.with(done, 0, List.of());
    }

    private static Set<String> databasesOf(PgConnectionSpec server) {
        Set<String> names = new HashSet<>();
        try (Connection c = server.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datallowconn")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw server.unreachable(e);
        }
        return names;
    }

    /** The repository's folder when it is a single one on a local disk (the restore's spool must stay out of it). */
    private static Path localRepositoryFolder(CellarConfig config) {
        List<RepositoryTarget> targets = config.requireRepositories();
        return targets.size() == 1 && !targets.get(0).isS3() ? targets.get(0).path() : null;
    }
}
