package dev.cellar.lifecycle.archive;

import dev.cellar.app.CellarContext;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.erasure.ErasureReapplication;
import dev.cellar.lifecycle.erasure.ErasureReapplier;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.policy.PolicySource;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.SnapshotSession;
import dev.cellar.repo.Repository;
import dev.cellar.storage.Retention;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * The archive operations as the CLI, the daemon and the API call them: create a month's archive,
 * list, verify, restore into a scratch database, look rows up, and hand the archive key to an
 * auditor. Each writes an audit record with its counts.
 */
public final class ArchiveService {
    public static final String MONTHLY = "monthly";

    private final CellarContext context;
    private final ErasureReapplier erasures;

    /** @param erasures re-applies the erasure ledger to a database an archive was restored into */
    public ArchiveService(CellarContext context, ErasureReapplier erasures) {
        this.context = context;
        this.erasures = erasures;
    }

    /** The archive of {@code month}'s rows of the configured database; {@code replace} deletes an existing unlocked one first. */
    public ArchiveResults.Created create(YearMonth month, boolean replace, Path policyFile) {
        Instant started = context.hostClock().instant();
        MonthlySelection.requireEnded(month, started);
        PgConnectionSpec source = context.database();
        PolicySource.LoadedPolicy loaded = PolicySource.load(context.config(), source.database(), policyFile);
        Repository repository = context.openRepository();
        RepositoryArchiver archiver = archiver(repository, loaded);
        ArchiveLayout layout = new ArchiveLayout(source.database(), MONTHLY, month.toString());
        boolean replaced = replaceIfAsked(repository, archiver, layout, replace);

        RepositoryArchiver.ArchiveOutcome outcome;
        try (Connection c = source.connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement st = c.createStatement()) {
                // a date column compared with the month's bounds is read as midnight UTC, as the bounds are
                st.execute("SET LOCAL TIME ZONE 'UTC'");
            }
            List<RowSelection> rows = MonthlySelection.rows(loaded.policy(), ForeignKeyCatalog.read(c), month);
            outcome = archiver.archiveWithReport(c, new Archiver.ArchiveRequest(source.database(), MONTHLY, month.toString(), rows,
                    MonthlySelection.lockedUntil(loaded.policy(), month), "monthly archive of " + month));
            c.rollback();
        } catch (SQLException e) {
            throw source.unreachable(e);
        }
        outcome.warnings().forEach(w -> context.warnings().warn(w));
        ArchiveManifest manifest = outcome.manifest();
        repository.audit().append("archive create", layout.id(), "ok", manifest.tables().size() + " tables, " + manifest.rows() + " rows"
                + (manifest.locked() ? ", locked until " + manifest.lockedUntil() : ", not locked") + (replaced ? ", replaced" : ""),
                outcome.receipt().bytes(), Duration.between(started, context.hostClock().instant()));
        return new ArchiveResults.Created(layout.id(), month.toString(), loaded.source(), outcome.receipt().tables(), manifest.rows(),
                outcome.receipt().bytes(), manifest.lockedUntil(), manifest.locked(), replaced, outcome.warnings());
    }

    public ArchiveResults.Listed list() {
        return new ArchiveResults.Listed(new RepositoryArchiver(context.openRepository(), null, context.hostClock()).list());
    }

    public Archiver.ArchiveVerification verify(String archiveId) {
        Instant started = context.hostClock().instant();
        Repository repository = context.openRepository();
        Archiver.ArchiveVerification verification = new RepositoryArchiver(repository, null, context.hostClock()).verify(archiveId);
        repository.audit().appendForReading("archive verify", archiveId, verification.intact() ? "ok" : "failed",
                verification.tables().size() + " tables, " + verification.problems().size() + " problems", 0,
                Duration.between(started, context.hostClock().instant()));
        return verification;
    }

    /** The archive id of the configured database's monthly archive of {@code month}. */
    public String monthlyId(YearMonth month) {
        return new ArchiveLayout(context.database().database(), MONTHLY, month.toString()).id();
    }

    /**
     * Creates the archive's tables in {@code targetDatabase} and loads their rows, in one
     * transaction; refuses a database that has any of those tables already. Then re-applies the
     * erasure ledger of the archived database to it.
     */
    public ArchiveResults.Restored restore(String archiveId, String targetDatabase, boolean create) {
        Instant started = context.hostClock().instant();
        Repository repository = context.openRepository();
        RepositoryArchiver archiver = new RepositoryArchiver(repository, null, context.hostClock());
        ArchiveManifest manifest = archiver.readManifest(ArchiveLayout.ofId(archiveId));
        String schema = archiver.readSchema(manifest);
        PgConnectionSpec target = context.database().withDatabase(targetDatabase);
        boolean created = ensureDatabase(target, create);
        List<ArchiveResults.RestoredTable> tables = new ArrayList<>();
        try (Connection c = target.connect()) {
            c.setAutoCommit(false);
            refuseExistingTables(c, manifest, targetDatabase);
            int marker = schema.indexOf(ArchiveSchema.FOREIGN_KEYS_MARKER);
            try (Statement st = c.createStatement()) {
                st.execute(schema.substring(0, marker));
            }
            for (ArchiveManifest.ArchivedTable table : manifest.tables()) {
                long loaded = copyIn(c, TableName.parse(table.table()).quoted(), table.columns(), archiver.readTable(table));
                if (loaded != table.rows()) {
                    throw new CellarException(ErrorCode.VERIFY_FAILED, table.table() + ": " + loaded + " rows loaded, the manifest says " + table.rows(),
                            "nothing was committed; run 'cellar archive verify " + archiveId + "'");
                }
                tables.add(new ArchiveResults.RestoredTable(table.table(), loaded));
            }
            try (Statement st = c.createStatement()) {
                st.execute(schema.substring(marker));
            }
            c.commit();
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "restoring archive " + archiveId + " into " + targetDatabase + " failed: "
                    + e.getMessage(), "nothing was committed in " + targetDatabase + "; fix the cause and run the restore again", e);
        }
        ErasureReapplication reapplied = erasures.reapply(repository, target, manifest.database());
        long rows = tables.stream().mapToLong(ArchiveResults.RestoredTable::rows).sum();
        repository.audit().append("archive restore", archiveId, "ok", tables.size() + " tables, " + rows + " rows into " + targetDatabase
                + ", " + reapplied.ledgerEntries() + " erasures re-applied (" + reapplied.rowsChanged() + " rows changed)", 0,
                Duration.between(started, context.hostClock().instant()));
        return new ArchiveResults.Restored(archiveId, targetDatabase, created, tables, rows, reapplied);
    }

    /**
     * The rows of one archived table that match {@code where} (SQL over the table's columns): the
     * table is loaded into a temporary table of {@code lookupDatabase} (the configured database when
     * null) in a transaction that is rolled back, so nothing is left behind. Columns of types the
     * archive defines (enums, domains) are loaded as text, so any database will do.
     */
    public ArchiveResults.Lookup lookup(String archiveId, String tableText, String where, String lookupDatabase) {
        Instant started = context.hostClock().instant();
        Repository repository = context.openRepository();
        RepositoryArchiver archiver = new RepositoryArchiver(repository, null, context.hostClock());
        ArchiveManifest manifest = archiver.readManifest(ArchiveLayout.ofId(archiveId));
        String wanted = TableName.parse(tableText).qualified();
        ArchiveManifest.ArchivedTable table = manifest.tables().stream().filter(t -> t.table().equals(wanted)).findFirst()
                .orElseThrow(() -> new CellarException(ErrorCode.NOT_FOUND, "archive " + archiveId + " holds no table " + tableText,
                        "it holds " + manifest.tables().stream().map(ArchiveManifest.ArchivedTable::table).collect(Collectors.joining(", "))));
        PgConnectionSpec database = lookupDatabase == null ? context.database() : context.database().withDatabase(lookupDatabase);
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMPORARY TABLE cellar_archive_lookup (" + table.columns().stream()
                        .map(col -> SnapshotSession.quoteIdentifier(col.name()) + " " + (col.type().startsWith("\"") ? "text" : col.type()))
                        .collect(Collectors.joining(", ")) + ") ON COMMIT DROP");
            }
            copyIn(c, "pg_temp.cellar_archive_lookup", table.columns(), archiver.readTable(table));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM pg_temp.cellar_archive_lookup WHERE " + where)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            } catch (SQLException e) {
                throw new CellarException(ErrorCode.USAGE, "the condition '" + where + "' does not work on " + wanted + ": " + e.getMessage(),
                        "write a SQL condition over the table's columns: " + table.columns().stream().map(ArchiveManifest.Column::name)
                                .collect(Collectors.joining(", ")), e);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw database.unreachable(e);
        }
        repository.audit().appendForReading("archive lookup", archiveId, "ok", rows.size() + " rows of " + wanted + " where " + where, 0,
                Duration.between(started, context.hostClock().instant()));
        return new ArchiveResults.Lookup(archiveId, wanted, where, table.columns().stream().map(ArchiveManifest.Column::name).toList(), rows);
    }

    /** The archive key in hex, for an auditor's escrow: whoever holds it reads every archive of the repository. */
    public ArchiveResults.Key key() {
        Repository repository = context.openRepository();
        repository.audit().append("archive key", repository.storage().describe(), "ok", "archive key shown", 0, null);
        return new ArchiveResults.Key(repository.storage().describe(), RepositoryArchiver.KEY_PURPOSE,
                HexFormat.of().formatHex(repository.derivedKey(RepositoryArchiver.KEY_PURPOSE)));
    }

    private RepositoryArchiver archiver(Repository repository, PolicySource.LoadedPolicy loaded) {
        String mode = context.config().worm().mode();
        Retention.Mode lockMode = mode == null ? Retention.Mode.COMPLIANCE : Retention.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        return new RepositoryArchiver(repository, loaded.policy(), context.hostClock(), lockMode, loaded.source());
    }

    private boolean replaceIfAsked(Repository repository, RepositoryArchiver archiver, ArchiveLayout layout, boolean replace) {
        if (!repository.storage().exists(layout.manifestKey())) {
            return false;
        }
        if (!replace) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "the " + layout.label() + " archive of " + layout.database() + " already exists",
                    "check it with 'cellar archive verify --month " + layout.label() + "'; --replace writes it again while it is not locked");
        }
        repository.storage().retention(layout.manifestKey()).filter(r -> r.retainUntil().isAfter(context.hostClock().instant())).ifPresent(r -> {
            throw new CellarException(ErrorCode.OBJECT_LOCKED, "the " + layout.label() + " archive of " + layout.database() + " is locked ("
                    + r.mode().name().toLowerCase(Locale.ROOT) + ") until " + r.retainUntil() + " and cannot be replaced",
                    "a locked archive is kept as written; nothing was changed");
        });
        archiver.delete(layout.id());
        return true;
    }

    private boolean ensureDatabase(PgConnectionSpec target, boolean create) {
        try (Connection c = context.database().withDatabase("postgres").connect();
             PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            st.setString(1, target.database());
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            if (!create) {
                throw new CellarException(ErrorCode.NOT_FOUND, "database " + target.database() + " does not exist",
                        "create it, or add --create to let Cellar create it");
            }
            try (Statement create1 = c.createStatement()) {
                create1.execute("CREATE DATABASE " + SnapshotSession.quoteIdentifier(target.database()));
            }
            return true;
        } catch (SQLException e) {
            throw target.unreachable(e);
        }
    }

    private static void refuseExistingTables(Connection c, ArchiveManifest manifest, String targetDatabase) throws SQLException {
        List<String> present = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            for (ArchiveManifest.ArchivedTable table : manifest.tables()) {
                st.setString(1, TableName.parse(table.table()).quoted());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        present.add(table.table());
                    }
                }
            }
        }
        if (!present.isEmpty()) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "database " + targetDatabase + " already has " + String.join(", ", present),
                    "restore an archive into an empty scratch database (--target-db NEW --create); nothing was changed");
        }
    }

    private static long copyIn(Connection c, String table, List<ArchiveManifest.Column> columns, byte[] csv) throws SQLException {
        String list = columns.stream().map(col -> SnapshotSession.quoteIdentifier(col.name())).collect(Collectors.joining(", "));
        try {
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + list + ") FROM STDIN (FORMAT csv, HEADER)",
                    new ByteArrayInputStream(csv));
        } catch (IOException e) {
            throw new IllegalStateException("reading rows from memory failed", e);
        }
    }
}
