package dev.cellar.web.api;

import dev.cellar.drill.DrillSummary;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.report.ComplianceReport;
import dev.cellar.report.ReportFiles;
import dev.cellar.report.ReportStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The drill and audit reports the repository holds, as the web reads them: listings newest first
 * and single files, through {@link ReportStore} (each file authenticated). A report is named only
 * by an id the store lists, so no request can reach another object of the repository.
 */
public final class StoredReports {
    /** The audit kinds, in the order they are listed when created at the same moment. */
    public static final List<String> AUDIT_KINDS = List.of(ReportStore.QUARTERLY, ReportStore.ANNUAL);
    /** The files a stored report may be asked for over HTTP. */
    public static final List<String> SERVED_FILES = List.of("report.json", "report.html", "report.md");

    private final ReportStore store;

    public StoredReports(Repository repository) {
        this.store = ReportStore.of(repository);
    }

    /** One quarterly or annual report as listed: {@code failures} is the number of failures it found. */
    public record ReportListing(String kind, String id, String period, String database, Instant created, boolean passed, int failures) {
    }

    /**
     * Every drill's summary, newest first. A drill whose summary is missing (still being written)
     * or unreadable is left out: the summary is written last, so an absent one is an unfinished drill.
     */
    public List<DrillSummary> drills() {
        List<DrillSummary> drills = new ArrayList<>();
        for (String id : store.ids(ReportStore.DRILL)) {
            if (!store.files(ReportStore.DRILL, id).contains(DrillSummary.FILE)) {
                continue;
            }
            drills.add(parse(store.read(ReportStore.DRILL, id, DrillSummary.FILE), DrillSummary.class, ReportStore.DRILL, id));
        }
        drills.sort(Comparator.comparing(DrillSummary::started, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(DrillSummary::id).reversed());
        return drills;
    }

    /** Every quarterly and annual report, newest first. */
    public List<ReportListing> reports() {
        List<ReportListing> reports = new ArrayList<>();
        for (String kind : AUDIT_KINDS) {
            for (String id : store.ids(kind)) {
                if (!store.files(kind, id).contains(ReportFiles.JSON)) {
                    continue;
                }
                ComplianceReport report = parse(store.read(kind, id, ReportFiles.JSON), ComplianceReport.class, kind, id);
                reports.add(new ReportListing(kind, id, report.period(), report.database(), report.generatedAt(), report.passed(),
                        report.failures().size()));
            }
        }
        reports.sort(Comparator.comparing(ReportListing::created, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(ReportListing::id).reversed());
        return reports;
    }

    /**
     * One file of a stored report. An unknown kind, id or file is a {@link ErrorCode#NOT_FOUND}
     * (the API answers 404) before the store is asked for any key made from them.
     */
    public byte[] file(String kind, String id, String file) {
        boolean known = (ReportStore.DRILL.equals(kind) || AUDIT_KINDS.contains(kind)) && SERVED_FILES.contains(file)
                && store.ids(kind).contains(id);
        if (!known || !store.files(kind, id).contains(file)) {
            throw new CellarException(ErrorCode.NOT_FOUND, "no " + kindName(kind) + " " + id + " with a file " + file + " in the repository",
                    ReportStore.DRILL.equals(kind) ? "GET /api/drills lists the stored drills" : "GET /api/reports lists the stored reports");
        }
        return store.read(kind, id, file);
    }

    private static String kindName(String kind) {
        return ReportStore.DRILL.equals(kind) ? "drill" : AUDIT_KINDS.contains(kind) ? kind + " report" : "report of kind '" + kind + "'";
    }

    private static <T> T parse(byte[] json, Class<T> type, String kind, String id) {
        try {
            return RepositoryJson.read(json, type);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTEGRITY, "the stored " + kindName(kind) + " " + id + " cannot be read: " + e.getMessage(),
                    "restore reports/" + kind + "/" + id + "/ from a copy of the repository ('cellar verify' lists damaged objects)");
        }
    }
}
