package dev.cellar.cli;

import dev.cellar.server.catalog.Catalog;
import dev.cellar.app.CatalogService;
import dev.cellar.server.catalog.IngestResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "rebuild", description = {"Empty backup_log and fill it again from the repository's audit trail and manifests.",
        "Safe at any time: the repository is the source of truth, and readers never see the table empty (one transaction)."},
        footer = {"", "Examples:", "  cellar catalog rebuild", "  cellar catalog rebuild --json   # rows added per operation"})
final class CatalogRebuildCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        CommandContext context = CommandContext.load(common, null);
        try (Catalog catalog = Catalog.open(context.config().catalog())) {
            IngestResult result = new CatalogService(context.app(), catalog).rebuild();
            StringBuilder text = new StringBuilder("rebuilt backup_log in " + catalog.describe() + ": " + result.inserted()
                    + " rows from " + result.auditRecords() + " audit records\n");
            result.insertedByOperation().forEach((operation, rows) -> text.append(String.format("  %-22s %d%n", operation, rows)));
            result.notes().forEach(n -> text.append("note: ").append(n).append('\n'));
            context.output().result(result, text.toString());
            return context.exitCode(0);
        }
    }
}
