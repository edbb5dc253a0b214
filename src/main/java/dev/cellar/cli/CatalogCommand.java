package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "catalog", subcommands = {CatalogRebuildCommand.class},
        description = {"Work on the catalog (backup_log, backup_monitoring): a cache of the repository (docs/catalog.md)."})
final class CatalogCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
