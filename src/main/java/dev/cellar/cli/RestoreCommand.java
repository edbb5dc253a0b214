package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "restore", subcommands = {RestoreLogicalCommand.class, RestorePitrCommand.class},
        description = "Restore a backup: logical (pg_dump based) or pitr (physical backup + WAL). See --help of each.")
final class RestoreCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
