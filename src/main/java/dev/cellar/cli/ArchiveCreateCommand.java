package dev.cellar.cli;

import dev.cellar.lifecycle.archive.ArchiveResults;
import dev.cellar.lifecycle.archive.Archiver;
import dev.cellar.lifecycle.archive.MonthlySelection;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create", header = "Archive one month of rows: self-contained, verified, WORM-locked.", description = {"Archive one month of the database: every row the data policy dates in that month (UTC), "
        + "plus every row those reference, read from one snapshot, written to archives/<database>/monthly/<month>/ in the repository, "
        + "read back and verified. The archive is locked (WORM) until the month's end plus the longest retention of the policy.file, "
        + "where the storage can lock (worm.mode, else COMPLIANCE).",
        "Refuses a month that has not ended, and a month already archived unless --replace (refused while the archive is locked)."},
        footer = {"", "Examples:",
                "  cellar archive create --month 2026-10 -d restaurant_ordering",
                "  cellar archive create --month 2026-10 --policy shop.yaml -d shop --json",
                "  cellar archive create --month 2026-10 --replace   # unlocked: write again"})
final class ArchiveCreateCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    /** What the server's monthly archive job passes: a crontab line cannot compute last month's name. */
    static final String PREVIOUS = "previous";

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM",
            description = "The month to archive, for example 2026-10; 'previous' for the month that ended (UTC), as the server's archive job runs it.")
    String month;

    @Option(names = "--replace", description = "Delete an existing archive of that month first (refused while it is locked).")
    boolean replace;

    @Mixin
    PolicyOption policy;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            ArchiveResults.Created created = ArchiveCommand.service(context).create(month.equals(PREVIOUS)
                    ? java.time.YearMonth.now(context.hostClock().withZone(java.time.ZoneOffset.UTC)).minusMonths(1)
                    : MonthlySelection.parseMonth(month), replace, policy.file);
            context.output().result(created, render(created));
            return 0;
        }
    }

    private static String render(ArchiveResults.Created created) {
        StringBuilder text = new StringBuilder("archive ").append(created.archiveId()).append(created.replaced() ? " (replaced)" : "")
                .append(": ").append(created.tables().size()).append(" tables, ").append(created.rows()).append(" rows, ")
                .append(Output.bytes(created.bytes())).append(", verified\n");
        for (Archiver.TableCount table : created.tables()) {
            text.append(String.format("  %-28s %9d rows (%d selected, %d referenced)%n", table.table(), table.rows(), table.selected(),
                    table.rows() - table.selected()));
        }
        text.append(created.locked() ? "locked until " + created.lockedUntil() : "NOT locked: the storage cannot keep WORM retention").append('\n');
        return text.toString();
    }
}
