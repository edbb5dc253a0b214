package dev.cellar.cli;

import picocli.CommandLine.Command;

@Command(name = "backup", mixinStandardHelpOptions = true, subcommands = BackupLogicalCommand.class,
        description = "Take a backup. See 'cellar backup logical --help'.")
final class BackupCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
