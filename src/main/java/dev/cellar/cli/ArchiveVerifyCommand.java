package dev.cellar.cli;

import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.archive.ArchiveService;
import dev.cellar.lifecycle.archive.Archiver;
import dev.cellar.lifecycle.archive.MonthlySelection;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", header = "Re-read an archive and check every count and checksum.", description = {"Read an archive back in full: every object must authenticate (AES-GCM), and every table's "
        + "row count and SHA-256 must match the manifest.",
        "Exits 0 when intact, 13 with each problem listed when not."},
        footer = {"", "Examples:",
                "  cellar archive verify --month 2026-10 -d restaurant_ordering",
                "  cellar archive verify --id shop/retention/r-20261101 --json"})
final class ArchiveVerifyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** Which archive: a month of the database, or any archive by id. */
    static final class Which {
        @Option(names = "--month", paramLabel = "YYYY-MM", description = "The monthly archive of the database (-d / database.name).")
        String month;
        @Option(names = "--id", paramLabel = "ID", description = "An archive id as 'archive list' shows it: database/kind/label.")
        String id;

        String archiveId(ArchiveService service) {
            return id != null ? id : service.monthlyId(MonthlySelection.parseMonth(month));
        }
    }

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            ArchiveService service = ArchiveCommand.service(context);
            Archiver.ArchiveVerification verification = service.verify(which.archiveId(service));
            context.output().result(verification, render(verification));
            return verification.intact() ? 0 : ErrorCode.VERIFY_FAILED.exitCode();
        }
    }

    private static String render(Archiver.ArchiveVerification verification) {
        StringBuilder text = new StringBuilder("archive ").append(verification.archiveId()).append(": ")
                .append(verification.intact() ? "intact" : "DAMAGED").append(", ").append(verification.tables().size()).append(" tables read\n");
        for (Archiver.TableCount table : verification.tables()) {
            text.append(String.format("  %-28s %9d rows  sha256 %s%n", table.table(), table.rows(), table.digest()));
        }
        verification.problems().forEach(p -> text.append("  problem: ").append(p).append('\n'));
        return text.toString();
    }
}
