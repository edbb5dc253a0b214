package dev.cellar.web.api;

import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.NeverPrompt;
import dev.cellar.app.Warnings;
import dev.cellar.config.CellarConfig;
import dev.cellar.report.ReportFiles;
import dev.cellar.report.ReportStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * The drill and audit report routes (docs/drills.md, docs/reports.md): the stored drills and the
 * quarterly and annual reports, listed and shown as {@code cellar drill} and {@code cellar report}
 * stored them. Each request opens a read-only context of its own (no lock, no audit record).
 */
final class AssuranceEndpoints {
    /**
     * The stored HTML pages are self-contained (inline CSS and SVG, no script): served so that, were
     * one ever to hold a script, it would not run with the dashboard's session.
     */
    static final String STORED_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

    private final CellarConfig config;
    private final Warnings warnings;
    private final Clock clock;

    AssuranceEndpoints(CellarConfig config, Warnings warnings, Clock clock) {
        this.config = config;
        this.warnings = warnings;
        this.clock = clock;
    }

    /** {@code GET /api/drills}: each stored drill's summary, newest first. */
    void drills(Context ctx) {
        ApiErrors.json(ctx, read(StoredReports::drills));
    }

    /** {@code GET /api/drills/{id}}: the drill's report.json as stored. */
    void drill(Context ctx) {
        stored(ctx, ReportStore.DRILL, ctx.pathParam("id"), ReportFiles.JSON);
    }

    /** {@code GET /api/drills/{id}/report.html}: the drill's page as stored. */
    void drillPage(Context ctx) {
        stored(ctx, ReportStore.DRILL, ctx.pathParam("id"), ReportFiles.HTML);
    }

    /** {@code GET /api/reports}: the quarterly and annual reports, newest first. */
    void reports(Context ctx) {
        ApiErrors.json(ctx, read(StoredReports::reports));
    }

    /** {@code GET /api/reports/{kind}/{id}}: the report's report.json as stored. */
    void report(Context ctx) {
        stored(ctx, auditKind(ctx), ctx.pathParam("id"), ReportFiles.JSON);
    }

    /** {@code GET /api/reports/{kind}/{id}/report.html}: the report's page as stored. */
    void reportPage(Context ctx) {
        stored(ctx, auditKind(ctx), ctx.pathParam("id"), ReportFiles.HTML);
    }

    private static String auditKind(Context ctx) {
        String kind = ctx.pathParam("kind");
        if (!StoredReports.AUDIT_KINDS.contains(kind)) {
            throw ApiProblem.notFound("no kind of report '" + kind + "'", "the kinds are " + String.join(" and ", StoredReports.AUDIT_KINDS)
                    + "; drills are under /api/drills");
        }
        return kind;
    }

    private void stored(Context ctx, String kind, String id, String file) {
        byte[] content = read(reports -> reports.file(kind, id, file));
        if (file.endsWith(".html")) {
            ctx.header("Content-Security-Policy", STORED_PAGE_POLICY);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.contentType("text/html; charset=utf-8").result(content);
        } else {
            ctx.contentType("application/json").result(content);
        }
    }

    private <T> T read(Function<StoredReports, T> question) {
        try (CellarContext context = CellarContext.open(config, new ContextOptions(true, null, Duration.ZERO, false, warnings,
                new NeverPrompt(), System.getenv(), clock))) {
            return question.apply(new StoredReports(context.openRepository()));
        }
    }
}
