package dev.cellar.app;

import dev.cellar.drill.DrillSummary;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.erasure.ErasureLedger;
import dev.cellar.lifecycle.erasure.LedgerEntry;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.config.CatalogConfig;
import dev.cellar.lifecycle.retention.RetentionPlan;
import dev.cellar.lifecycle.retention.RetentionService;
import dev.cellar.report.AnnualInputs;
import dev.cellar.report.BackupFact;
import dev.cellar.report.ComplianceReport;
import dev.cellar.report.ReportBuilder;
import dev.cellar.report.ReportFiles;
import dev.cellar.report.ReportInputs;
import dev.cellar.report.ReportPeriod;
import dev.cellar.report.ReportStore;
import dev.cellar.report.SecurityAssessment;
import dev.cellar.lifecycle.archive.ArchiveService;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.server.schedule.Off;
import dev.cellar.web.auth.Argon2idPasswords;
import dev.cellar.web.auth.UserStore;
import dev.cellar.storage.Retention;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.WalInventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The quarterly and annual audit reports: reads the repository (manifests, audit trail, WAL
 * archive, WORM retention, erasure ledger, stored drill summaries), runs the checks, stores the
 * report sealed under {@code reports/<kind>/<id>/} and records it in the audit trail; lists,
 * shows and exports stored reports and verifies an exported file against its signature.
 *
 * <p>For the daemon: writes the report and one audit record; takes no repository lock (a report
 * is written once under a new id and changes nothing it reads).
 */
public final class ReportService {
    static final String AUDIT_QUARTERLY = "report.quarterly";
    static final String AUDIT_ANNUAL = "report.annual";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> AUDIT_KINDS = List.of(ReportStore.QUARTERLY, ReportStore.ANNUAL);

    private final CellarContext context;

    public ReportService(CellarContext context) {
        this.context = context;
    }

    /** A report made and stored, with the files exported when asked. */
    public record Made(ComplianceReport report, List<Path> exported) {
    }

    /** One stored report, as {@code report list} shows it. */
    public record Listed(String kind, String id, String period, String database, boolean passed, int failures) {
    }

    /** What {@code report verify} found. */
    public record Verification(Path file, Path signatureFile, boolean verified, String reason) {
    }

    /**
     * @param database the database the report is about, or null for the whole repository
     * @param at       the report's "now", or null for the host clock's
     * @param exportTo a folder to write the signed files into, or null
     */
    public Made quarterly(ReportPeriod period, String database, Instant at, Path exportTo) {
        return make(ReportStore.QUARTERLY, AUDIT_QUARTERLY, period, database, at, exportTo);
    }

    public Made annual(ReportPeriod period, String database, Instant at, Path exportTo) {
        return make(ReportStore.ANNUAL, AUDIT_ANNUAL, period, database, at, exportTo);
    }

    private Made make(String kind, String operation, ReportPeriod period, String database, Instant at, Path exportTo) {
        Instant started = context.hostClock().instant();
        Instant now = at == null ? started : at;
        Repository repository = context.openRepository();
        String id = ID_TIME.format(started) + "-" + period.label() + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        try {
            ReportInputs inputs = read(repository);
            ComplianceReport report = ReportStore.QUARTERLY.equals(kind)
                    ? ReportBuilder.quarterly(id, period, database, now, started, inputs)
                    : ReportBuilder.annual(id, period, database, now, started, inputs, annualInputs(database, now));
            ReportStore store = ReportStore.of(repository);
            store.put(kind, id, ReportFiles.of(report));
            repository.audit().append(operation, period.label() + (database == null ? "" : " " + database),
                    report.passed() ? AuditRecord.OK : AuditRecord.FAILED,
                    "report " + id + ": " + report.failures().size() + " failure(s)", 0, Duration.between(started, context.hostClock().instant()));
            List<Path> exported = exportTo == null ? List.of() : store.export(kind, id, exportTo);
            return new Made(report, exported);
        } catch (RuntimeException e) {
            repository.audit().appendFailure(operation, period.label(), e.getMessage(), Duration.between(started, context.hostClock().instant()), e);
            throw e;
        }
    }

    /** Every stored quarterly and annual report, oldest first within each kind. */
    public List<Listed> list() {
        ReportStore store = ReportStore.of(context.openRepository());
        List<Listed> listed = new ArrayList<>();
        for (String kind : AUDIT_KINDS) {
            for (String id : store.ids(kind)) {
                ComplianceReport report = parse(store.read(kind, id, ReportFiles.JSON), kind, id);
                listed.add(new Listed(kind, id, report.period(), report.database(), report.passed(), report.failures().size()));
            }
        }
        return listed;
    }

    public ComplianceReport show(String id) {
        ReportStore store = ReportStore.of(context.openRepository());
        String kind = kindOf(store, id);
        return parse(store.read(kind, id, ReportFiles.JSON), kind, id);
    }

    public List<Path> export(String id, Path folder) {
        ReportStore store = ReportStore.of(context.openRepository());
        return store.export(kindOf(store, id), id, folder);
    }

    /** Checks {@code file} against {@code file.sig} with this repository's report signature key. */
    public Verification verify(Path file) {
        Path signatureFile = file.resolveSibling(file.getFileName() + ".sig");
        byte[] content;
        String signature;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), "give the path of an exported report file");
        }
        try {
            signature = Files.readString(signatureFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.NOT_FOUND, "no signature " + signatureFile + " beside " + file,
                    "export the report again with 'cellar report export ID --output DIR': each file gets its .sig");
        }
        ReportStore store = ReportStore.of(context.openRepository());
        boolean verified = store.signature().verifies(content, signature);
        return new Verification(file, signatureFile, verified, verified ? "the signature matches: the file is the one Cellar wrote, unchanged"
                : "the signature does not match: the file was changed, or it was signed by another repository");
    }

    private static String kindOf(ReportStore store, String id) {
        for (String kind : AUDIT_KINDS) {
            if (store.ids(kind).contains(id)) {
                return kind;
            }
        }
        throw new CellarException(ErrorCode.NOT_FOUND, "no quarterly or annual report " + id, "list the reports with 'cellar report list'");
    }

    private static ComplianceReport parse(byte[] json, String kind, String id) {
        try {
            return RepositoryJson.read(json, ComplianceReport.class);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTEGRITY, "the report " + kind + "/" + id + " is not a report: " + e.getMessage(),
                    "restore it from a copy of the repository");
        }
    }

    /** The live database's retention plan, the TLS setting and the catalog's users, each "not assessed" with why when it cannot be read. */
    private AnnualInputs annualInputs(String database, Instant at) {
        RetentionPlan plan = null;
        String planMissing = null;
        if (database == null) {
            planMissing = "retention is judged on one live database: name it with --database";
        } else {
            try {
                plan = RetentionService.plan(context, null, at);
            } catch (RuntimeException e) {
                planMissing = "the retention plan of " + database + " could not be made: " + e.getMessage();
            }
        }
        Path keystore = context.config().https().keystore();
        List<SecurityAssessment.WebUserFact> users = null;
        String usersMissing = null;
        CatalogConfig catalog = context.config().catalog();
        if (!catalog.external() && !Files.isDirectory(catalog.embeddedDir())) {
            usersMissing = "no catalog (neither catalog.url nor an embedded catalog in " + catalog.embeddedDir() + ")";
        } else {
            try (Catalog opened = Catalog.open(catalog, new NeverPrompt())) {
                users = new UserStore(opened.dataSource(), context.hostClock(), new Argon2idPasswords()).list().stream()
                        .map(u -> new SecurityAssessment.WebUserFact(u.user(), u.role(), u.secondFactorEnrolled(), u.disabled())).toList();
            } catch (RuntimeException e) {
                usersMissing = "the catalog could not be read: " + e.getMessage();
            }
        }
        boolean archiveScheduleOn = database != null
                && context.config().lifecycleSchedules().archiveOf(database).map(schedule -> !(schedule instanceof Off)).orElse(false);
        Set<String> monthly = new TreeSet<>();
        if (database != null) {
            String prefix = RepositoryLayout.ARCHIVES + database + "/" + ArchiveService.MONTHLY + "/";
            for (String key : context.openRepository().storage().list(prefix)) {
                String rest = key.substring(prefix.length());
                if (rest.indexOf('/') > 0) {
                    monthly.add(rest.substring(0, rest.indexOf('/')));
                }
            }
        }
        return new AnnualInputs(plan, planMissing, keystore == null ? null : keystore.toString(), users, usersMissing, archiveScheduleOn,
                monthly);
    }

    private ReportInputs read(Repository repository) {
        List<BackupFact> backups = new ArrayList<>();
        Map<String, Optional<Retention>> held = new LinkedHashMap<>();
        long highest = 0;
        long segmentSize = WalFileName.DEFAULT_SEGMENT_SIZE;
        for (String id : repository.manifests().ids()) {
            BackupManifest m;
            try {
                m = repository.manifests().load(id);
            } catch (CellarException damaged) {
                continue; // an unreadable manifest is verify's finding; its backup then counts as unverified only through the trail
            }
            highest = Math.max(highest, m.auditSequence());
            backups.add(new BackupFact(m.id(), m.database(), m.kind(), m.finishedAt(), m.auditSequence(),
                    m.isPhysical() ? m.physical().startWal() : null, m.retention()));
            if (m.isPhysical()) {
                segmentSize = m.physical().walSegmentSize();
            }
            if (m.retention() != null) {
                held.put(id, repository.manifests().storedRetention(id));
            }
        }
        AuditLog.AuditReport trail = repository.audit().read(highest);
        ReportStore store = ReportStore.of(repository);
        List<DrillSummary> drills = new ArrayList<>();
        for (String id : store.ids(ReportStore.DRILL)) {
            try {
                drills.add(RepositoryJson.read(store.read(ReportStore.DRILL, id, DrillSummary.FILE), DrillSummary.class));
            } catch (IOException | CellarException incomplete) {
                context.warnings().warn("drill report " + id + " has no readable " + DrillSummary.FILE + "; it counts as no drill");
            }
        }
        WalInventory wal = WalInventory.of(new WalArchive(repository, 1).list(), segmentSize);
        List<LedgerEntry> ledger = ErasureLedger.of(repository).read().entries();
        List<String> slots = repository.storage().list(RepositoryLayout.KEYS).stream().map(k -> k.substring(RepositoryLayout.KEYS.length())).toList();
        return new ReportInputs(repository.header().repositoryId(), repository.storage().describe(), repository.header().cipher(), backups,
                trail.records(), trail.problems(), drills, wal, repository.storage().supportsRetention(), held,
                repository.storage().lockTime(context.hostClock()), ledger, slots);
    }
}
