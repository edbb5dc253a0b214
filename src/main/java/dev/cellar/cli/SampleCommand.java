package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "sample", subcommands = SampleLoadCommand.class,
        description = "The restaurant_ordering reference database. See 'cellar sample load --help'.")
final class SampleCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
