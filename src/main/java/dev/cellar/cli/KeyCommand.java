package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "key", subcommands = {KeyRotateCommand.class, KeyReencryptCommand.class},
        description = {"Manage the repository's keys (see docs/keys.md)."})
final class KeyCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
