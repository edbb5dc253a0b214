package dev.cellar.cli;

import dev.cellar.lifecycle.archive.ArchiveResults;
import dev.cellar.lifecycle.archive.RepositoryArchiver;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", header = "List the archives, complete or not, with their locks.", description = {"List the archives in the repository: kind, label, tables, rows, bytes, locked-until, and whether "
        + "each is complete (an archive without its manifest is incomplete: its creation stopped; creating it again replaces it)."},
        footer = {"", "Examples:", "  cellar archive list", "  cellar archive list --json"})
final class ArchiveListCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            ArchiveResults.Listed listed = ArchiveCommand.service(context).list();
            context.output().result(listed, render(listed));
            return 0;
        }
    }

    private static String render(ArchiveResults.Listed listed) {
        if (listed.archives().isEmpty()) {
            return "no archives\n";
        }
        StringBuilder text = new StringBuilder(String.format("%-24s %-10s %-12s %6s %10s %10s  %-22s %s%n", "DATABASE", "KIND", "LABEL",
                "TABLES", "ROWS", "BYTES", "LOCKED UNTIL", "STATE"));
        for (RepositoryArchiver.ArchiveListing a : listed.archives()) {
            text.append(String.format("%-24s %-10s %-12s %6d %10d %10s  %-22s %s%n", a.database(), a.kind(), a.label(), a.tables(), a.rows(),
                    Output.bytes(a.bytes()), a.lockedUntil() == null ? "-" : a.lockedUntil(),
                    a.complete() ? "complete" : a.problem() != null ? "unreadable: " + a.problem() : "incomplete"));
        }
        return text.toString();
    }
}
