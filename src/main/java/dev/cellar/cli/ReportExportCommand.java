package dev.cellar.cli;

import dev.cellar.app.ReportService;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = {"Write a stored report's files (report.json, report.md, report.html) into a folder, "
        + "each with its signature beside it (report.html.sig), for the auditor.",
        "Check a file later with 'cellar report verify FILE'."},
        footer = {"", "Examples:", "  cellar report export 20261203T060500Z-2026Q4-1a2b --output /srv/audit/2026Q4"})
final class ReportExportCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ID", description = "The report's id (see 'cellar report list').")
    String id;
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The folder to write into (created if needed).")
    Path output;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            List<Path> written = new ReportService(context.app()).export(id, output);
            StringBuilder text = new StringBuilder();
            written.forEach(p -> text.append(p).append('\n'));
            context.output().result(written.stream().map(Path::toString).toList(), text.toString());
            return 0;
        }
    }
}
