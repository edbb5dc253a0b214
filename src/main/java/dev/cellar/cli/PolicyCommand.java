package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "policy", subcommands = PolicyCheckCommand.class,
        description = "The data policy: categories, retention and personal data of a database. See 'cellar policy check --help' and docs/data-policy.md.")
final class PolicyCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
