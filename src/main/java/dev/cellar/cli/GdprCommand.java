package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "gdpr", subcommands = {GdprEraseCommand.class, GdprApplyDueCommand.class, GdprListCommand.class, GdprReportCommand.class,
        GdprReapplyCommand.class, GdprLedgerCommand.class, GdprExportCommand.class},
        description = "Data subjects' rights: GDPR erasure (requests with due dates, the erasure ledger of keyed hashes only, "
                + "re-applied after every restore), where a subject's data still is, and the portability export of everything "
                + "a database holds about one person. See docs/gdpr.md.")
final class GdprCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
