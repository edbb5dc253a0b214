package dev.cellar.cli;

import dev.cellar.lifecycle.archive.ArchiveService;
import dev.cellar.lifecycle.erasure.LedgerErasureReapplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "archive", subcommands = {ArchiveCreateCommand.class, ArchiveListCommand.class, ArchiveVerifyCommand.class,
        ArchiveRestoreCommand.class, ArchiveKeyCommand.class},
        description = "Monthly archives of a database's rows: self-contained, encrypted, checksummed, WORM-locked until their "
                + "retention ends. See 'cellar archive <command> --help' and docs/archives.md.")
final class ArchiveCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The service for one command, with the erasure ledger's re-applier that archive restores run. */
    static ArchiveService service(CommandContext context) {
        return new ArchiveService(context.app(), new LedgerErasureReapplier());
    }
}
