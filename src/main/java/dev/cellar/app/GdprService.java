package dev.cellar.app;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.SubjectKey;
import dev.cellar.lifecycle.archive.ArchiveLayout;
import dev.cellar.lifecycle.archive.ArchiveManifest;
import dev.cellar.lifecycle.archive.RepositoryArchiver;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.erasure.BeyondUse;
import dev.cellar.lifecycle.erasure.ErasureLedger;
import dev.cellar.lifecycle.erasure.ErasureReapplication;
import dev.cellar.lifecycle.erasure.ErasureRule;
import dev.cellar.lifecycle.erasure.GdprResults;
import dev.cellar.lifecycle.erasure.GdprResults.RequestView;
import dev.cellar.lifecycle.erasure.LedgerContents;
import dev.cellar.lifecycle.erasure.LedgerEntry;
import dev.cellar.lifecycle.erasure.LedgerErasureReapplier;
import dev.cellar.lifecycle.erasure.SubjectErasure;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.graph.Subject;
import dev.cellar.lifecycle.policy.DataPolicy;
import dev.cellar.lifecycle.policy.PolicySource;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.Repository;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GDPR erasure (issue 13 item 4): records requests in the erasure ledger, applies them to the
 * configured database on their due date (or at once), re-applies the ledger to a restored
 * database by hand, lists requests and reports where an erased subject's data still is.
 *
 * <p>For the daemon: {@link #applyDue} is the daily job. Reads the repository secret and the
 * database password (may prompt through the context's prompter). Time comes from the
 * repository's clock.
 */
public final class GdprService {
    public static final int MAX_DUE_DAYS = 30;
    private final CellarContext context;

    public GdprService(CellarContext context) {
        this.context = context;
    }

    /**
     * Records an erasure request for {@code subject} of the configured database, due in {@code dueDays};
     * with {@code now}, applies it at once.
     *
     * @param actor who asks: the OS user on the CLI, the signed-in user through the server
     */
    public GdprResults.EraseResult erase(Subject subject, int dueDays, boolean now, String reason, String actor, Path policyFile) {
        if (dueDays < 0 || dueDays > MAX_DUE_DAYS) {
            throw new CellarException(ErrorCode.USAGE, "--due-days " + dueDays + " is outside 0.." + MAX_DUE_DAYS,
                    "the GDPR gives one month to erase: choose at most " + MAX_DUE_DAYS + " days, or --now");
        }
        PgConnectionSpec database = context.database();
        DataPolicy policy = PolicySource.load(context.config(), database.database(), policyFile).policy();
        if (!policy.subjects().contains(subject.table())) {
            throw new CellarException(ErrorCode.USAGE, "table " + subject.table() + " is not a subject table of the data policy "
                    + "(subjects: " + policy.subjects() + ")", "name a subject of a table listed under subjects: in the policy (docs/data-policy.md)");
        }
        Repository repository = context.openRepository();
        SubjectKey subjectKey = SubjectKey.of(repository);
        String canonical = canonicalId(database, subject);
        String hash = subjectKey.hash(subject.table(), canonical);
        ErasureLedger ledger = ErasureLedger.of(repository);
        LedgerContents contents = ledger.read();
        Optional<LedgerContents.Request> existing = contents.latestFor(database.database(), hash).filter(r -> !r.isApplied());
        List<String> warnings = new ArrayList<>(contents.problems());
        LedgerEntry request;
        if (existing.isPresent()) {
            request = existing.get().request();
        } else {
            Instant requestedAt = repository.clock().instant();
            request = ledger.append(new LedgerEntry(0, null, LedgerEntry.REQUESTED, 0, database.database(), subject.table().qualified(), hash,
                    ErasureRule.from(policy), requestedAt, requestedAt.plus(Duration.ofDays(dueDays)), requestedAt, Map.of(), actor, reason));
            repository.audit().append("gdpr.request", database.database(), AuditRecord.OK,
                    "erasure request " + request.sequence() + " due " + request.dueAt(), 0, Duration.ZERO);
        }
        if (!now) {
            return new GdprResults.EraseResult(RequestView.of(new LedgerContents.Request(request, null)), existing.isPresent(), warnings);
        }
        LedgerEntry applied = apply(repository, request, actor, warnings);
        return new GdprResults.EraseResult(RequestView.of(new LedgerContents.Request(request, applied)), existing.isPresent(), warnings);
    }

    /** Applies every request whose due date has passed (the server's daily {@code gdpr} job). */
    public GdprResults.ApplyDueResult applyDue(String actor) {
        Repository repository = context.openRepository();
        LedgerContents contents = ErasureLedger.of(repository).read();
        List<String> warnings = new ArrayList<>(contents.problems());
        List<RequestView> applied = new ArrayList<>();
        Instant now = repository.clock().instant();
        List<LedgerContents.Request> due = contents.due(now);
        for (LedgerContents.Request request : due) {
            LedgerEntry entry = apply(repository, request.request(), actor, warnings);
            applied.add(RequestView.of(new LedgerContents.Request(request.request(), entry)));
        }
        int pending = (int) contents.requests().stream().filter(r -> !r.isApplied()).count() - due.size();
        return new GdprResults.ApplyDueResult(applied, pending, warnings);
    }

    public GdprResults.ListResult list() {
        LedgerContents contents = ErasureLedger.of(context.openRepository()).read();
        return new GdprResults.ListResult(contents.requests().stream().map(RequestView::of).toList(), contents.problems());
    }

    public GdprResults.LedgerVerifyResult verifyLedger() {
        LedgerContents contents = ErasureLedger.of(context.openRepository()).read();
        List<LedgerContents.Request> requests = contents.requests();
        return new GdprResults.LedgerVerifyResult(contents.entries().size(), requests.size(),
                (int) requests.stream().filter(LedgerContents.Request::isApplied).count(), contents.problems());
    }

    /** Re-applies the ledger of {@code sourceDatabase} to {@code targetDatabase} on the configured server. */
    public GdprResults.ReapplyResult reapply(String targetDatabase, String sourceDatabase) {
        Repository repository = context.openRepository();
        ErasureReapplication done = new LedgerErasureReapplier().reapply(repository, context.database().withDatabase(targetDatabase), sourceDatabase);
        repository.audit().append("gdpr.reapply", targetDatabase, AuditRecord.OK, "ledger of " + sourceDatabase + ": " + done.subjectsFound()
                + " of " + done.ledgerEntries() + " erasures found, " + done.rowsChanged() + " rows", done.rowsChanged(), Duration.ZERO);
        return new GdprResults.ReapplyResult(targetDatabase, sourceDatabase, done);
    }

    /**
     * Where the subject's data still is: its request, the backups taken before the erasure was
     * applied with the date each can age out. The subject's id is hashed and not kept; it need not
     * exist in the database any more.
     */
    public GdprResults.Report report(Subject subject) {
        Repository repository = context.openRepository();
        String database = context.config().database().name();
        String hash = SubjectKey.of(repository).hash(subject.table(), idAsHashed(subject));
        LedgerContents contents = ErasureLedger.of(repository).read();
        Optional<LedgerContents.Request> request = contents.latestFor(database, hash);
        Instant erasedAt = request.filter(LedgerContents.Request::isApplied).map(r -> r.applied().at()).orElse(null);
        int fullDays = context.config().retention().fullDays();
        List<BeyondUse.HoldingBackup> backups = BeyondUse.holding(new BackupCatalog(repository).all(), database, erasedAt, fullDays);
        int walDays = context.config().retention().walDays();
        String walNote = erasedAt == null ? "WAL archived from now on still carries the subject's rows until the erasure is applied"
                : "WAL archived before " + erasedAt + " carries the subject's rows; expiry removes it with the backups that need it, "
                        + "at the latest " + walDays + " days after the oldest backup above ages out (retention.wal-days)";
        ArchivesHolding holding = archivesHolding(repository, database, subject.table(), hash);
        return new GdprResults.Report(subject.table() + ":<id>", hash, request.map(RequestView::of).orElse(null), backups, walNote,
                holding.archives(), holding.note());
    }

    private record ArchivesHolding(List<GdprResults.HoldingArchive> archives, String note) {
    }

    /**
     * The archives of {@code database} whose manifest indexes the subject (manifests list the keyed
     * hashes of the rows of each subject table they hold, so no table object is opened, and an
     * archive in a cold storage class is found without a thaw).
     */
    private ArchivesHolding archivesHolding(Repository repository, String database, TableName table, String hash) {
        RepositoryArchiver archiver = new RepositoryArchiver(repository, PolicySource.load(context.config(), database, null).policy(),
                repository.clock());
        List<GdprResults.HoldingArchive> holding = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        for (RepositoryArchiver.ArchiveListing listing : archiver.list()) {
            if (!database.equals(listing.database()) || !listing.complete()) {
                continue;
            }
            try {
                ArchiveManifest manifest = archiver.readManifest(ArchiveLayout.ofId(listing.id()));
                if (manifest.subjects().getOrDefault(table.qualified(), List.of()).contains(hash)) {
                    holding.add(new GdprResults.HoldingArchive(listing.id(), manifest.kind(), manifest.label(), manifest.createdAt(),
                            manifest.locked() ? manifest.lockedUntil() : null));
                }
            } catch (CellarException e) {
                unread.add(listing.id() + " (" + e.getMessage() + ")");
            }
        }
        String note = holding.size() + " archive(s) hold the subject's rows: WORM-locked, never changed, re-erased on every "
                + "'cellar archive restore'" + (unread.isEmpty() ? "" : "; could not read the manifest of " + String.join(", ", unread)
                + ": run 'cellar archive verify'");
        return new ArchivesHolding(holding, note);
    }

    private LedgerEntry apply(Repository repository, LedgerEntry request, String actor, List<String> warnings) {
        Instant started = repository.clock().instant();
        PgConnectionSpec database = context.database().withDatabase(request.database());
        SubjectErasure.Outcome outcome;
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            try {
                outcome = new SubjectErasure(c, SubjectKey.of(repository)).apply(request.rule(), TableName.parse(request.subjectTable()),
                        request.subjectHash());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "erasure request " + request.sequence() + " could not be applied to "
                    + database.describe() + ": " + e.getMessage() + "; nothing was changed",
                    "fix the cause and run 'cellar gdpr apply-due' (or erase --now again)", e);
        }
        if (!outcome.subjectFound()) {
            warnings.add("erasure request " + request.sequence() + ": no row of " + request.subjectTable()
                    + " hashes to the subject any more; recorded as applied with no row changed");
        }
        outcome.warnings().forEach(w -> warnings.add("erasure request " + request.sequence() + ": " + w));
        Instant at = repository.clock().instant();
        LedgerEntry applied = ErasureLedger.of(repository).append(new LedgerEntry(0, null, LedgerEntry.APPLIED, request.sequence(),
                request.database(), request.subjectTable(), request.subjectHash(), request.rule(), request.requestedAt(), request.dueAt(), at,
                outcome.rowsChanged(), actor, null));
        repository.audit().append("gdpr.erase", request.database(), AuditRecord.OK, "erasure request " + request.sequence() + " applied: "
                + outcome.total() + " rows changed", 0, Duration.between(started, at));
        return applied;
    }

    /**
     * The id as PostgreSQL prints it (what the request hashed): read from the database while the
     * row is there (pseudonymised rows keep their key); as typed when it is gone or the database is down.
     */
    private String idAsHashed(Subject subject) {
        try {
            return canonicalId(context.database(), subject);
        } catch (CellarException e) {
            return subject.id();
        }
    }

    private static String canonicalId(PgConnectionSpec database, Subject subject) {
        try (Connection c = database.connect()) {
            ForeignKeyGraph graph = ForeignKeyCatalog.read(c);
            return new SubjectErasure(c, null).canonicalId(graph, subject)
                    .orElseThrow(() -> new CellarException(ErrorCode.NOT_FOUND, "database " + database.database() + " has no row " + subject,
                            "check the id; 'cellar gdpr list' shows the requests already made (by hash)"));
        } catch (SQLException e) {
            throw database.unreachable(e);
        }
    }
}
