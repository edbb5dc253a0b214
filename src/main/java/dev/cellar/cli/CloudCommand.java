package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "cloud", description = "Object-storage settings of S3 repositories.",
        subcommands = {CloudLifecycleCommand.class})
final class CloudCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
