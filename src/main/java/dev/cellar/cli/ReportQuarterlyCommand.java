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

@Command(name = "quarterly", description = {"The quarterly backup integrity report: every backup and archive of the quarter verified "
        + "afterwards, WAL continuity, WORM locks held, a passed drill each month with RTO and RPO met, restores that re-applied "
        + "the erasure ledger and erasures applied when due. Each check cites its evidence.",
        "Stores the report (report.json, report.md, report.html) in the repository and records it in the audit trail. "
                + "Exits 0 when every check holds, 24 when any fails (after storing the report)."},
        footer = {"", "Examples:",
                "  cellar report quarterly --quarter 2026Q4",
                "  cellar report quarterly --quarter 2026Q4 --at 2026-11-20T00:00:00Z     # a quarter in progress",
                "  cellar report quarterly --quarter 2026Q4 -d restaurant_ordering --output /srv/audit/2026Q4",
                "  cellar report verify /srv/audit/2026Q4/report.html"})
final class ReportQuarterlyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Option(names = "--quarter", required = true, paramLabel = "YYYYQn", description = "The quarter, e.g. 2026Q4 (UTC).")
    String quarter;
    @Option(names = {"-d", "--database"}, paramLabel = "NAME", description = "Only this database's backups, archives and drills (default: all).")
    String database;
    @Option(names = "--at", paramLabel = "INSTANT", description = "The report's \"now\" for a quarter in progress (ISO-8601, e.g. 2026-11-20T00:00:00Z); default: now.")
    Instant at;
    @Option(names = "--output", paramLabel = "DIR", description = "Also write the report's files, each with its .sig, into DIR.")
    Path output;

    @Override
    public Integer call() {
        ReportPeriod period = ReportPeriod.quarter(quarter);
        DatabaseOptions named = new DatabaseOptions();
        named.name = database;
        try (CommandContext context = CommandContext.load(common, database == null ? null : named)) {
            ReportService.Made made = new ReportService(context.app()).quarterly(period, database, at, output);
            context.output().result(ReportText.json(made.report(), made.exported()), ReportText.render(made.report(), made.exported()));
            return made.report().passed() ? 0 : ErrorCode.DRILL_FAILED.exitCode();
        }
    }
}
