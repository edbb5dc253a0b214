package dev.cellar.cli;

import picocli.CommandLine.Command;

@Command(name = "restore", mixinStandardHelpOptions = true, subcommands = RestoreLogicalCommand.class,
        description = "Restore a backup. See 'cellar restore logical --help'.")
final class RestoreCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
