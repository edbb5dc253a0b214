package dev.cellar.cli;

import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show one backup: where it came from, its size, and every table with the row count recorded at backup time.")
final class ShowCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ID", defaultValue = "latest", description = "Backup id, or 'latest' (default).")
    String id;

    @Override
    public Integer call() {
        BackupManifest m = new BackupCatalog(CommandContext.load(common, null).openRepository()).resolve(id, null);
        StringBuilder text = new StringBuilder();
        text.append("backup      ").append(m.id()).append('\n')
                .append("kind        ").append(m.kind()).append('\n')
                .append("database    ").append(m.database()).append(" on ").append(m.source()).append(" (PostgreSQL ").append(m.serverVersion()).append(")\n")
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
        new Output(System.out, common.json).result(m, text.toString());
        return 0;
    }
}
