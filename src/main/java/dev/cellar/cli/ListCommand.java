package dev.cellar.cli;

import dev.cellar.app.ListService;
import dev.cellar.app.ListService.BackupListing;
import dev.cellar.app.ListService.BackupSummary;
import dev.cellar.app.ListService.CopiesListing;
import dev.cellar.app.ListService.CopyLag;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.DamagedManifest;
import dev.cellar.wal.WalInventory;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", description = {"List the finished backups in the repository, oldest first, and a summary of the WAL archive.",
                "Backups that were interrupted never appear here. With --wal: the WAL archive per timeline, with every gap."})
final class ListCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Option(names = "--wal", description = "List the WAL archive per timeline (first, last, count, gaps) instead of the backups.")
    boolean wal;

    @picocli.CommandLine.Option(names = "--strict", description = "Exit 13 when a backup's manifest is damaged (it is listed as DAMAGED either way).")
    boolean strict;

    /** What the DATABASE column says for a physical backup, which is of the whole cluster. */
    static final String CLUSTER = "(cluster)";

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            ListService service = new ListService(context.app());
            if (wal) {
                WalInventory inventory = service.walInventory();
                context.output().result(inventory, describe(inventory));
                return context.exitCode(0);
            }
            ListService.Listing listing = service.list();
            StringBuilder text = new StringBuilder();
            if (listing.backups().isEmpty() && listing.damaged().isEmpty()) {
                text.append("no backups yet in ").append(listing.location());
            } else {
                text.append(describe(listing.backups(), listing.damaged()));
            }
            if (listing.newestWal() != null) {
                WalInventory inventory = listing.wal();
                text.append("WAL archive: ").append(inventory.segmentCount()).append(" segment(s) on ").append(inventory.timelines().size())
                        .append(" timeline(s), newest ").append(listing.newestWal())
                        .append(inventory.gaps().isEmpty() ? ", no gaps" : ", " + inventory.gaps().size() + " GAP(S): see 'cellar list --wal'");
            }
            int exitCode = strict && !listing.damaged().isEmpty() ? ErrorCode.VERIFY_FAILED.exitCode() : 0;
            if (listing.severalCopies()) {
                text.append(text.isEmpty() || text.charAt(text.length() - 1) == '\n' ? "" : "\n").append(describe(listing.copies()));
                context.output().result(new CopiesListing(listing.backups(), listing.damaged(), listing.copies()), text.toString());
                return context.exitCode(exitCode);
            }
            context.output().result(new BackupListing(listing.backups(), listing.damaged()), text.toString());
            return context.exitCode(exitCode);
        }
    }

    /** The table, oldest first, a damaged manifest in its place among the others. */
    private static String describe(List<BackupSummary> backups, List<DamagedManifest> damaged) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-24s %-13s %-22s %-21s %8s %10s %10s  %s%n",
                "ID", "KIND", "DATABASE", "STARTED", "TIME", "SIZE", "ADDED", "TABLES / TIMELINE, LSN RANGE"));
        TreeMap<String, String> rows = new TreeMap<>();
        for (BackupSummary b : backups) {
            String detail = b.timeline() == null ? b.tables() + " tables"
                    : "timeline " + b.timeline() + ", " + b.startLsn() + " .. " + b.stopLsn() + ", system " + b.systemIdentifier();
            rows.put(b.id(), String.format(Locale.ROOT, "%-24s %-13s %-22s %-21s %7.1fs %10s %10s  %s%n",
                    b.id(), b.kind() + (b.type() == null ? "" : " " + b.type()), b.database() == null ? CLUSTER : b.database(),
                    b.startedAt(), b.durationSeconds(), Output.bytes(b.bytes()), Output.bytes(b.storedBytes()), detail));
        }
        for (DamagedManifest d : damaged) {
            rows.put(d.id(), String.format(Locale.ROOT, "%-24s %-13s %s%n", d.id(), "DAMAGED", d.objectKey() + ": " + d.problem()));
        }
        rows.values().forEach(text::append);
        if (!damaged.isEmpty()) {
            text.append(damaged.size()).append(" damaged manifest(s): those backups cannot be restored from this repository; "
                    + "the others are intact as far as their manifests go ('cellar verify --all' reads every chunk)\n");
        }
        return text.toString();
    }

    private static String describe(List<CopyLag> lag) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n%-12s %8s %9s  %-24s %s%n", "COPY", "BACKUPS", "WAL FILES",
                "NEWEST BACKUP", "LACKS (WHAT ANOTHER COPY HOLDS)"));
        for (CopyLag copy : lag) {
            if (!copy.reachable()) {
                text.append(String.format(Locale.ROOT, "%-12s %8s %9s  %-24s %s%n", copy.name(), "-", "-", "-",
                        "UNREACHABLE (" + copy.location() + ")"));
                continue;
            }
            String behind = copy.upToDate() ? "up to date"
                    : copy.missingBackups().size() + " backup(s), " + copy.missingWal() + " WAL file(s), " + copy.missingAuditRecords()
                            + " audit record(s)";
            text.append(String.format(Locale.ROOT, "%-12s %8d %9d  %-24s %s%n", copy.name(), copy.backups(), copy.walFiles(),
                    copy.newestBackup() == null ? "-" : copy.newestBackup(), behind));
        }
        if (lag.stream().anyMatch(c -> c.reachable() && !c.upToDate())) {
            text.append("run 'cellar repo sync' to give each copy what another holds (each copy's own retention may leave older "
                    + "backups out on purpose)\n");
        }
        if (lag.stream().anyMatch(c -> !c.reachable())) {
            text.append("a copy could not be reached: this listing is of the others (exit code " + ErrorCode.PARTIAL.exitCode() + "); run 'cellar repo sync' once it "
                    + "answers again\n");
        }
        return text.toString().stripTrailing();
    }

    private static String describe(WalInventory inventory) {
        if (inventory.timelines().isEmpty()) {
            return "the WAL archive is empty";
        }
        StringBuilder text = new StringBuilder();
        for (WalInventory.TimelineRange t : inventory.timelines()) {
            text.append(String.format(Locale.ROOT, "timeline %d: %s .. %s, %d segment(s)%s%s%n", t.timeline(),
                    t.first() == null ? "-" : t.first(), t.last() == null ? "-" : t.last(), t.segments(),
                    t.partials() > 0 ? ", " + t.partials() + " partial" : "", t.history() ? ", history file" : ""));
        }
        inventory.gaps().forEach(g -> text.append("GAP ").append(g).append('\n'));
        return text.toString().strip();
    }
}
