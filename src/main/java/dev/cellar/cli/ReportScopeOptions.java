package dev.cellar.cli;

import dev.cellar.app.ReportService;
import dev.cellar.error.ErrorCode;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Option;

/** What the quarterly and annual reports share: whose backups, which "now", where the signed files go; and running one. */
final class ReportScopeOptions {
    @Option(names = {"-d", "--database"}, paramLabel = "NAME", description = "Only this database's backups, archives and drills (default: all).")
    String database;
    @Option(names = "--at", paramLabel = "INSTANT", description = "The report's \"now\" for a period in progress (ISO-8601, e.g. 2026-11-20T00:00:00Z); default: now.")
    Instant at;
    @Option(names = "--output", paramLabel = "DIR", description = "Also write the report's files, each with its .sig, into DIR.")
    Path output;

    /** Which report, given the service and the report's "now". */
    interface Maker {
        ReportService.Made make(ReportService service, Instant now);
    }

    /** Makes, stores and prints the report; 0 when every check holds, 24 when one fails. */
    int run(CommonOptions common, Maker maker) {
        DatabaseOptions named = new DatabaseOptions();
        named.name = database;
        try (CommandContext context = CommandContext.load(common, database == null ? null : named)) {
            ReportService.Made made = maker.make(new ReportService(context.app()), at != null ? at : context.app().hostClock().instant());
            context.output().result(ReportText.json(made.report(), made.exported()), ReportText.render(made.report(), made.exported()));
            return made.report().passed() ? 0 : ErrorCode.DRILL_FAILED.exitCode();
        }
    }
}
