package dev.cellar.cli;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.archive.ArchiveResults;
import dev.cellar.lifecycle.archive.ArchiveService;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore", header = "Restore an archive into a scratch database, or look rows up.", description = {"Restore an archive into a scratch database, or look rows up in it.",
        "With --target-db alone: creates the archive's tables (plain tables, in their schemas) in that database, loads every row "
                + "in one transaction, adds the foreign keys among them, then re-applies the erasure ledger. Refuses a database that "
                + "has any of those tables already; the database must exist, or add --create.",
        "With --table and --where: prints the table's rows that match the SQL condition, as CSV (or --json). The rows are loaded "
                + "into a temporary table of --target-db (default: the configured database) in a transaction that is rolled back."},
        footer = {"", "Examples:",
                "  cellar archive restore --month 2026-10 --target-db oct --create",
                "  cellar archive restore --month 2026-10 --table payments \\",
                "      --where \"order_id = 42\"",
                "  cellar archive restore --id shop/monthly/2026-10 --table users \\",
                "      --where \"id = 7\" --json"})
final class ArchiveRestoreCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;
    @ArgGroup(exclusive = true, multiplicity = "1")
    ArchiveVerifyCommand.Which which;

    @Option(names = "--target-db", paramLabel = "NAME", description = "The scratch database to restore into (for a lookup: where the temporary table lives).")
    String targetDb;
    @Option(names = "--create", description = "Create the target database if it does not exist.")
    boolean create;
    @Option(names = "--table", paramLabel = "TABLE", description = "Look rows up in this table (name or schema.name) instead of restoring.")
    String table;
    @Option(names = "--where", paramLabel = "SQL", description = "The condition the looked-up rows match, over the table's columns: \"id = 42\".")
    String where;

    @Override
    public Integer call() {
        if ((table == null) != (where == null)) {
            throw new CellarException(ErrorCode.USAGE, "--table and --where go together", "give both to look rows up, or neither to restore");
        }
        if (table == null && targetDb == null) {
            throw new CellarException(ErrorCode.USAGE, "say where to restore the archive: --target-db NAME",
                    "or look rows up with --table and --where");
        }
        try (CommandContext context = CommandContext.load(common, database)) {
            ArchiveService service = ArchiveCommand.service(context);
            String id = which.archiveId(service);
            if (table != null) {
                ArchiveResults.Lookup lookup = service.lookup(id, table, where, targetDb);
                context.output().result(lookup, csv(lookup));
                return 0;
            }
            ArchiveResults.Restored restored = service.restore(id, targetDb, create);
            restored.erasures().warnings().forEach(w -> CommandContext.STDERR.warn(w));
            context.output().result(restored, render(restored));
            return 0;
        }
    }

    private static String render(ArchiveResults.Restored restored) {
        StringBuilder text = new StringBuilder("restored archive ").append(restored.archiveId()).append(" into ").append(restored.targetDatabase())
                .append(restored.created() ? " (created)" : "").append(": ").append(restored.tables().size()).append(" tables, ")
                .append(restored.rows()).append(" rows\n");
        restored.tables().forEach(t -> text.append(String.format("  %-28s %9d rows%n", t.table(), t.rows())));
        text.append("re-applied ").append(restored.erasures().ledgerEntries()).append(" erasures (").append(restored.erasures().subjectsFound())
                .append(" subjects found, ").append(restored.erasures().rowsChanged()).append(" rows changed)\n");
        return text.toString();
    }

    static String csv(ArchiveResults.Lookup lookup) {
        StringBuilder text = new StringBuilder(line(lookup.columns()));
        lookup.rows().forEach(row -> text.append(line(row)));
        return text.toString();
    }

    private static String line(List<String> fields) {
        return fields.stream().map(ArchiveRestoreCommand::field).collect(Collectors.joining(",")) + "\n";
    }

    // as PostgreSQL's CSV: NULL is an empty unquoted field, a value needing it is quoted with quotes doubled
    private static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.isEmpty() || value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
