package dev.cellar.web.api;

import dev.cellar.app.AuditService;
import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.ListService;
import dev.cellar.app.NeverPrompt;
import dev.cellar.app.ShowService;
import dev.cellar.app.Warnings;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.repo.AuditLog;
import dev.cellar.repo.AuditRecord;
import dev.cellar.server.schedule.JobPlan;
import dev.cellar.server.schedule.ScheduleListing;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * The API's answers that read: backups, schedules, alerts and the audit trail, each the record
 * the CLI prints with {@code --json} for the same question. Each request opens a read-only
 * context of its own (no lock, no audit record) and closes it.
 */
final class ReadEndpoints {
    /** Schedules list this many next runs per job, as 'cellar schedule list' does by default. */
    private static final int NEXT_RUNS = 3;

    private final CellarConfig config;
    private final AlertsQuery alerts;
    private final Warnings warnings;
    private final Clock clock;

    ReadEndpoints(CellarConfig config, AlertsQuery alerts, Warnings warnings, Clock clock) {
        this.config = config;
        this.alerts = alerts;
        this.warnings = warnings;
        this.clock = clock;
    }

    /** {@code GET /api/backups?database=}: as 'cellar list --json', only the database's backups when one is named. */
    void backups(Context ctx) {
        String database = ctx.queryParam("database");
        try (CellarContext context = readOnly(config)) {
            ListService.Listing listing = new ListService(context).list();
            List<ListService.BackupSummary> backups = database == null ? listing.backups()
                    : listing.backups().stream().filter(b -> Objects.equals(b.database(), database)).toList();
            ApiErrors.json(ctx, listing.severalCopies() ? new ListService.CopiesListing(backups, listing.damaged(), listing.copies())
                    : new ListService.BackupListing(backups, listing.damaged()));
        }
    }

    /** {@code GET /api/backups/{id}}: as 'cellar show --json' ('latest' of the database named by ?database=). */
    void backup(Context ctx) {
        String database = ctx.queryParam("database");
        CellarConfig scoped = database == null ? config : config.forDatabase(scheduled(database));
        try (CellarContext context = CellarContext.open(scoped, options(true, database != null))) {
            ApiErrors.json(ctx, new ShowService(context).show(ctx.pathParam("id")));
        }
    }

    /** {@code GET /api/schedules}: as 'cellar schedule list --json'. */
    void schedules(Context ctx) {
        ApiErrors.json(ctx, ScheduleListing.of(JobPlan.of(config), clock.instant(), NEXT_RUNS));
    }

    /** {@code GET /api/alerts?state=open|acknowledged|resolved}. */
    void alerts(Context ctx) {
        ApiErrors.json(ctx, alerts.list(ctx.queryParam("state")));
    }

    /** {@code POST /api/alerts/{id}/ack} with an optional {@code {"note": "..."}}. */
    void acknowledge(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound("no alert " + ctx.pathParam("id"), "alert ids are numbers; GET /api/alerts lists them");
        }
        ctx.attribute(ApiRouteTable.AUDIT_TARGET, "alert " + id);
        String note = RequestBodies.of(ctx).optionalText("note");
        ApiErrors.json(ctx, alerts.acknowledge(id, ApiRouteTable.principal(ctx).user(), note, clock.instant()));
    }

    /** {@code GET /api/audit?from=&user=&operation=}: as 'cellar audit --json', the chain checked whole, the records filtered. */
    void audit(Context ctx) {
        Instant from = instant(ctx.queryParam("from"));
        String user = ctx.queryParam("user");
        String operation = ctx.queryParam("operation");
        try (CellarContext context = readOnly(config)) {
            AuditLog.AuditReport report = new AuditService(context).read();
            List<AuditRecord> shown = report.records().stream()
                    .filter(r -> from == null || !r.time().isBefore(from))
                    .filter(r -> user == null || r.user().equals(user))
                    .filter(r -> operation == null || r.operation().startsWith(operation))
                    .toList();
            ApiErrors.json(ctx, new AuditLog.AuditReport(shown, report.problems(), report.absences(), report.unjoined(), report.lacking()));
        }
    }

    private ScheduledDatabase scheduled(String name) {
        return config.scheduledDatabases().stream().filter(db -> db.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("no database '" + name + "' is configured", "the configured databases are: "
                        + String.join(", ", config.scheduledDatabases().stream().map(ScheduledDatabase::name).toList())));
    }

    private CellarContext readOnly(CellarConfig scoped) {
        return CellarContext.open(scoped, options(true, false));
    }

    private ContextOptions options(boolean readOnly, boolean databaseNamed) {
        return new ContextOptions(readOnly, null, Duration.ZERO, databaseNamed, warnings, new NeverPrompt(), System.getenv(), clock);
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                throw ApiProblem.badRequest("from=" + text + " is not a date or an instant", "write 2026-12-01 or 2026-12-01T08:00:00Z");
            }
        }
    }
}
