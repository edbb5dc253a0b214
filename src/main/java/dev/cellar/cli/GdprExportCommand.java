package dev.cellar.cli;

import dev.cellar.lifecycle.portability.ExportFormat;
import dev.cellar.lifecycle.portability.PortabilityExportResult;
import dev.cellar.lifecycle.portability.PortabilityExportService;
import dev.cellar.lifecycle.portability.PortabilityExportService.ExportRequest;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", description = {"Export every row the database holds about one data subject (GDPR data portability): "
        + "the subject's own row and every row that references it through foreign keys, directly or through other rows, "
        + "with all their columns, read from one consistent snapshot.",
        "JSON: one document, with its JSON Schema (draft 2020-12) beside it when written to a folder. "
                + "CSV: a folder with one file per table and a README.txt. The folder is created readable by you only; "
                + "it must not exist yet or be empty. A subject with no row exits 12 and writes nothing. "
                + "With a repository configured, the export is recorded in its audit trail, the subject as a keyed hash, never its id. "
                + "See docs/gdpr.md."},
        footer = {"", "Examples:",
                "  cellar gdpr export --subject users:42 -d shop > users-42.json",
                "  cellar gdpr export --subject users:42 --output u42/     # export.json + schema",
                "  cellar gdpr export --subject users:42 --format csv --output u42-csv/",
                "  cellar gdpr export --subject app.Customer:7 --output c7/ --json"})
final class GdprExportCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--subject", required = true, paramLabel = "TABLE:ID",
            description = "The data subject: a table with a one-column primary key and the key value, e.g. users:42 or app.Customer:7.")
    String subject;

    @Option(names = "--format", paramLabel = "json|csv", defaultValue = "json",
            description = "json (default) or csv.")
    ExportFormat format;

    @Option(names = "--output", paramLabel = "FOLDER",
            description = "Folder to write (new or empty). Without it the JSON document goes to stdout; csv needs it.")
    Path output;

    @Mixin
    PolicyOption policy;

    @Override
    public Integer call() {
        PortabilityExportResult result;
        try (CommandContext context = CommandContext.load(common, database)) {
            result = PortabilityExportService.export(context.app(), new ExportRequest(subject, format, output, policy.file));
        }
        if (result.document() != null) {
            // the document is the output: no summary mixed into it
            byte[] document = PortabilityExportService.pretty(result.document());
            System.out.write(document, 0, document.length);
            System.out.flush();
            return 0;
        }
        new Output(System.out, common.json).result(result, render(result));
        return 0;
    }

    private static String render(PortabilityExportResult result) {
        StringBuilder text = new StringBuilder();
        text.append("exported ").append(result.subject()).append(" from ").append(result.database()).append(": ")
                .append(result.rows()).append(result.rows() == 1 ? " row in " : " rows in ").append(result.tables().size())
                .append(" tables, ").append(result.format().name().toLowerCase(Locale.ROOT)).append(" in ")
                .append(result.output()).append('\n');
        int width = result.tables().stream().mapToInt(t -> t.table().length()).max().orElse(0);
        for (PortabilityExportResult.TableCount table : result.tables()) {
            text.append("  ").append(table.table()).append(" ".repeat(width - table.table().length() + 2)).append(table.rows()).append('\n');
        }
        if (result.auditTarget() != null) {
            text.append("recorded in the audit trail as ").append(result.auditTarget()).append('\n');
        }
        return text.toString();
    }
}
