package dev.cellar.cli;

import dev.cellar.lifecycle.archive.ArchiveService;
import dev.cellar.lifecycle.erasure.ErasureReapplication;
import dev.cellar.lifecycle.erasure.ErasureReapplier;
import dev.cellar.repo.RepositoryLayout;
import java.util.List;
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
        return new ArchiveService(context.app(), ERASURES);
    }

    /*
     * The erasure ledger's re-applier is built by the GDPR part of issue 13; until it is wired here,
     * a restore says so whenever the repository holds ledger entries, rather than claim it applied them.
     */
    static final ErasureReapplier ERASURES = (repository, restored, sourceDatabase) ->
            repository.storage().list(RepositoryLayout.ERASURES).isEmpty() ? ErasureReapplication.nothingRecorded()
                    : new ErasureReapplication(0, 0, 0, List.of("the repository holds an erasure ledger, but this build of Cellar "
                    + "cannot re-apply it: erase the subjects again in " + restored.database() + " before handing it over"));
}
