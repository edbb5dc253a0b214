package dev.cellar.cli;

import dev.cellar.app.ReportService;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", description = "List the quarterly and annual reports stored in the repository, with their verdicts.",
        footer = {"", "Examples:", "  cellar report list", "  cellar report list --json"})
final class ReportListCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            List<ReportService.Listed> reports = new ReportService(context.app()).list();
            StringBuilder text = new StringBuilder();
            if (reports.isEmpty()) {
                text.append("no quarterly or annual report stored; make one with 'cellar report quarterly --quarter 2026Q4'\n");
            }
            for (ReportService.Listed r : reports) {
                text.append(String.format("%-10s %-36s %-7s %-20s %s%n", r.kind(), r.id(), r.period(), r.database() == null ? "(all)" : r.database(),
                        r.passed() ? "passed" : "FAILED (" + r.failures() + ")"));
            }
            context.output().result(reports, text.toString());
            return context.exitCode(0);
        }
    }
}
