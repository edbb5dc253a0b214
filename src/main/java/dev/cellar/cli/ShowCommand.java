package dev.cellar.cli;

import dev.cellar.app.ShowService;
import dev.cellar.repo.BackupManifest;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show one backup: where it came from, its size, and every table with the row count recorded at backup time.")
final class ShowCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = {"-d", "--dbname"}, paramLabel = "NAME", description = "With 'latest': the newest backup of this database (database.name).")
    String database;

    @Parameters(index = "0", paramLabel = "ID", defaultValue = "latest", description = "Backup id, or 'latest' (default): the newest "
            + "backup of the database named by -d / database.name, or with none named, of the only database the repository holds.")
    String id;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, databaseOption())) {
            BackupManifest m = new ShowService(context.app()).show(id);
            String subject = m.isPhysical() ? "cluster     " + Long.toUnsignedString(m.physical().systemIdentifier()) : "database    " + m.database();
            StringBuilder text = new StringBuilder();
            text.append("backup      ").append(m.id()).append('\n')
                    .append("kind        ").append(m.kind()).append('\n')
                    .append(subject).append(" on ").append(m.source()).append(" (PostgreSQL ").append(m.serverVersion()).append(")\n")
                    .append("taken with  ").append(m.toolVersion()).append(" by ").append(m.createdBy()).append('\n')
                    .append("started     ").append(m.startedAt()).append('\n')
                    .append("finished    ").append(m.finishedAt()).append(" (").append(Output.seconds(m.duration())).append(")\n")
                    .append("size        ").append(Output.bytes(m.totalBytes())).append(" in ").append(m.chunkCount()).append(" chunks; added ")
                    .append(Output.bytes(m.storedBytes())).append(" to the repository\n")
                    .append("tables      ").append(m.tables().size()).append(", ").append(m.totalRows()).append(" rows\n\n");
            text.append(String.format(Locale.ROOT, "%-50s %14s%n", "TABLE", "ROWS"));
            for (BackupManifest.TableEntry t : m.tables()) {
                String name = t.qualifiedName() + (t.partitioned() ? " (partitioned)" : t.partitionOf() != null ? " (partition)" : "");
                text.append(String.format(Locale.ROOT, "%-50s %14d%n", name, t.rows()));
            }
            context.output().result(m, text.toString());
            return context.exitCode(0);
        }
    }

    private DatabaseOptions databaseOption() {
        DatabaseOptions options = new DatabaseOptions();
        options.name = database;
        return options;
    }
}
