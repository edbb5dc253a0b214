package dev.cellar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "gdpr", subcommands = GdprExportCommand.class,
        description = "Data subjects' rights: the portability export of everything a database holds about one person. "
                + "See 'cellar gdpr export --help' and docs/gdpr.md.")
final class GdprCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
