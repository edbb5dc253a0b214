package dev.cellar.cli;

import dev.cellar.report.ReportPeriod;
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
                "  cellar report quarterly --quarter previous                            # as the server's scheduled job does",
                "  cellar report quarterly --quarter 2026Q4 --at 2026-11-20T00:00:00Z     # a quarter in progress",
                "  cellar report quarterly --quarter 2026Q4 -d restaurant_ordering --output /srv/audit/2026Q4",
                "  cellar report verify /srv/audit/2026Q4/report.html"})
final class ReportQuarterlyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Option(names = "--quarter", required = true, paramLabel = "YYYYQn", description = "The quarter, e.g. 2026Q4 (UTC), or 'previous': the "
            + "quarter that ended last (what the server's scheduled report writes).")
    String quarter;
    @Mixin
    ReportScopeOptions scope;

    @Override
    public Integer call() {
        return scope.run(common, (service, now) -> service.quarterly(ReportPeriod.quarter(quarter, now), scope.database, scope.at, scope.output));
    }
}
