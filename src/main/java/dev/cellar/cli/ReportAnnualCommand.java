package dev.cellar.cli;

import dev.cellar.app.ReportService;
import dev.cellar.error.ErrorCode;
import dev.cellar.report.ReportPeriod;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "annual", description = {"The annual compliance audit: the quarterly checks over the whole year, and a security assessment "
        + "(the cipher every object is sealed with, the key slots, who did what from the audit trail and whether its chain holds).",
        "Stores the report in the repository and records it in the audit trail. Exits 0 when every check holds, 24 when any fails."},
        footer = {"", "Examples:",
                "  cellar report annual --year 2026",
                "  cellar report annual --year 2026 --at 2026-12-03T00:00:00Z --output /srv/audit/2026 --json"})
final class ReportAnnualCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Option(names = "--year", required = true, paramLabel = "YYYY", description = "The year, e.g. 2026 (UTC).")
    int year;
    @Option(names = {"-d", "--database"}, paramLabel = "NAME", description = "Only this database's backups, archives and drills (default: all).")
    String database;
    @Option(names = "--at", paramLabel = "INSTANT", description = "The report's \"now\" for a year in progress (ISO-8601, e.g. 2026-11-20T00:00:00Z); default: now.")
    Instant at;
    @Option(names = "--output", paramLabel = "DIR", description = "Also write the report's files, each with its .sig, into DIR.")
    Path output;

    @Override
    public Integer call() {
        ReportPeriod period = ReportPeriod.year(year);
        DatabaseOptions named = new DatabaseOptions();
        named.name = database;
        try (CommandContext context = CommandContext.load(common, database == null ? null : named)) {
            ReportService.Made made = new ReportService(context.app()).annual(period, database, at, output);
            context.output().result(ReportText.json(made.report(), made.exported()), ReportText.render(made.report(), made.exported()));
            return made.report().passed() ? 0 : ErrorCode.DRILL_FAILED.exitCode();
        }
    }
}
