package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "retention", subcommands = {RetentionPlanCommand.class, RetentionApplyCommand.class},
        description = "Remove the rows the data policy says are past their retention: 'plan' shows what is due and what is held back, "
                + "'apply' archives it, verifies the archive, then deletes in small batches. See docs/data-lifecycle.md.")
final class RetentionCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
