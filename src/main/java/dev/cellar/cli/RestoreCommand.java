package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "restore", subcommands = RestoreLogicalCommand.class,
        description = "Restore a backup. See 'cellar restore logical --help'.")
final class RestoreCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
