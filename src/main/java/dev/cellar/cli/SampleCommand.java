package dev.cellar.cli;

import picocli.CommandLine.Command;

@Command(name = "sample", mixinStandardHelpOptions = true, subcommands = SampleLoadCommand.class,
        description = "The restaurant_ordering reference database. See 'cellar sample load --help'.")
final class SampleCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
