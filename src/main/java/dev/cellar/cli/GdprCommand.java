package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "gdpr", subcommands = {GdprEraseCommand.class, GdprApplyDueCommand.class, GdprListCommand.class, GdprReportCommand.class,
        GdprReapplyCommand.class, GdprLedgerCommand.class},
        description = "GDPR erasure: requests with due dates, the erasure ledger (keyed hashes only), re-application after restores, "
                + "and where a subject's data still is. See docs/gdpr.md.")
final class GdprCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
