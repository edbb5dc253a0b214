package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "backup", subcommands = {BackupLogicalCommand.class, BackupPhysicalCommand.class},
        description = "Take a backup. See 'cellar backup logical --help' and 'cellar backup physical --help'.")
final class BackupCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
