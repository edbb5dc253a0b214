package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "report", subcommands = {ReportQuarterlyCommand.class, ReportAnnualCommand.class, ReportListCommand.class,
        ReportShowCommand.class, ReportExportCommand.class, ReportVerifyCommand.class},
        description = {"The quarterly backup integrity report and the annual compliance audit: each check computed from the repository "
                + "(manifests, audit trail, WAL archive, WORM retention, erasure ledger, drill reports), citing its evidence, stored "
                + "signed in the repository as JSON, Markdown and HTML.", "See docs/reports.md."})
final class ReportCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
