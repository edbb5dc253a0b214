package dev.cellar.cli;

import dev.cellar.report.ReportPeriod;
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

    @Option(names = "--year", required = true, paramLabel = "YYYY", description = "The year, e.g. 2026 (UTC), or 'previous': the year "
            + "that ended last (what the server's scheduled report writes).")
    String year;
    @Mixin
    ReportScopeOptions scope;

    @Override
    public Integer call() {
        return scope.run(common, (service, now) -> service.annual(ReportPeriod.year(year, now), scope.database, scope.at, scope.output));
    }
}
