package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "repo", subcommands = {RepoSyncCommand.class},
        description = {"Work on the copies of the repository configured under repositories: (see docs/multiple-repositories.md)."})
final class RepoCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
