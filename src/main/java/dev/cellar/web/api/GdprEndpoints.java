package dev.cellar.web.api;

import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.GdprService;
import dev.cellar.app.NeverPrompt;
import dev.cellar.app.Warnings;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.lifecycle.graph.Subject;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The GDPR erasure routes: list the requests, record one with its due date, and erase at once.
 * Erasing at once is a destructive route (a session with a fresh second factor, never a token);
 * all of them call the same {@link GdprService} as {@code cellar gdpr}, with the web user as the
 * actor the ledger records.
 */
final class GdprEndpoints {
    private final CellarConfig config;
    private final Warnings warnings;
    private final Clock clock;

    GdprEndpoints(CellarConfig config, Warnings warnings, Clock clock) {
        this.config = config;
        this.warnings = warnings;
        this.clock = clock;
    }

    /** {@code GET /api/gdpr/erasures}: as 'cellar gdpr list --json' (keyed hashes, never ids). */
    void list(Context ctx) {
        try (CellarContext context = CellarContext.open(config, options(true, false))) {
            ApiErrors.json(ctx, new GdprService(context).list());
        }
    }

    /** {@code POST /api/gdpr/erasures} {@code {"database", "subject", "dueDays", "reason"}}: a request due in up to 30 days. */
    void request(Context ctx) {
        erase(ctx, false);
    }

    /** {@code POST /api/gdpr/erasures/now} {@code {"database", "subject", "reason"}}: erased at once. */
    void now(Context ctx) {
        erase(ctx, true);
    }

    private void erase(Context ctx, boolean now) {
        RequestBodies body = RequestBodies.of(ctx);
        Subject subject = Subject.parse(body.text("subject", "users:42"));
        String dueText = now ? null : body.optionalText("dueDays");
        int dueDays;
        try {
            dueDays = dueText == null ? GdprService.MAX_DUE_DAYS : Integer.parseInt(dueText);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("dueDays " + dueText + " is not a number of days", "send 0 to " + GdprService.MAX_DUE_DAYS);
        }
        ScheduledDatabase database = database(body.optionalText("database"));
        ctx.attribute(ApiRouteTable.AUDIT_TARGET, database.name() + " " + subject.table() + ":<id>");
        try (CellarContext context = CellarContext.open(config.forDatabase(database), options(false, true))) {
            ApiErrors.json(ctx, new GdprService(context).erase(subject, dueDays, now, body.optionalText("reason"),
                    "web:" + ApiRouteTable.principal(ctx).user(), null));
        }
    }

    private ScheduledDatabase database(String name) {
        List<ScheduledDatabase> databases = config.scheduledDatabases();
        if (name == null) {
            if (databases.size() == 1) {
                return databases.get(0);
            }
            throw ApiProblem.badRequest("say which database: \"database\" is missing", "the configured databases are: "
                    + String.join(", ", databases.stream().map(ScheduledDatabase::name).toList()));
        }
        return databases.stream().filter(db -> db.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("no database '" + name + "' is configured", "the configured databases are: "
                        + String.join(", ", databases.stream().map(ScheduledDatabase::name).toList())));
    }

    private ContextOptions options(boolean readOnly, boolean databaseNamed) {
        return new ContextOptions(readOnly, null, Duration.ZERO, databaseNamed, warnings, new NeverPrompt(), System.getenv(), clock);
    }
}
