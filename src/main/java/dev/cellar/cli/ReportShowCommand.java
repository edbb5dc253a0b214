package dev.cellar.cli;

import dev.cellar.app.ReportService;
import dev.cellar.report.ComplianceReport;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show one stored quarterly or annual report: each check, its verdict and its failures.",
        footer = {"", "Examples:", "  cellar report show 20261203T060500Z-2026Q4-1a2b", "  cellar report show 20261203T060500Z-2026Q4-1a2b --json"})
final class ReportShowCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ID", description = "The report's id (see 'cellar report list').")
    String id;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            ComplianceReport report = new ReportService(context.app()).show(id);
            context.output().result(ReportText.json(report, List.of()), ReportText.render(report, List.of()));
            return 0;
        }
    }
}
