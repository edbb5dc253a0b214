package dev.cellar.cli;

import dev.cellar.storage.Reachability;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.DamagedManifest;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.storage.Storage;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.Repository;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.WalInventory;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", description = {"List the finished backups in the repository, oldest first, and a summary of the WAL archive.",
                "Backups that were interrupted never appear here. With --wal: the WAL archive per timeline, with every gap."})
final class ListCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Option(names = "--wal", description = "List the WAL archive per timeline (first, last, count, gaps) instead of the backups.")
    boolean wal;

    @picocli.CommandLine.Option(names = "--strict", description = "Exit 13 when a backup's manifest is damaged (it is listed as DAMAGED either way).")
    boolean strict;

    /** What the DATABASE column says for a physical backup, which is of the whole cluster. */
    static final String CLUSTER = "(cluster)";

    /**
     * One line of the listing.
     *
     * @param database         the database of a logical backup; null for a physical one (see systemIdentifier)
     * @param systemIdentifier the cluster of a physical backup (pg_control's system identifier); null for a logical one
     * @param run              the {@code backup logical --all} run a logical backup belongs to; null otherwise
     */
    record BackupSummary(String id, String kind, String type, String database, String systemIdentifier, String startedAt,
                         double durationSeconds, long bytes, long storedBytes, int tables, long rows, String serverVersion,
                         Integer timeline, String startLsn, String stopLsn, String run) {
    }

    /** The listing of one repository: every backup that reads, and every manifest that does not. */
    record BackupListing(List<BackupSummary> backups, List<DamagedManifest> damaged) {
    }

    @Override
    public Integer call() {
        CommandContext context = CommandContext.load(common, null);
        Repository repository = context.openRepository();
        List<WalFileName> walFiles = new WalArchive(repository, context.config().wal().compressionLevel()).list();
        if (wal) {
            WalInventory inventory = WalInventory.of(walFiles, WalFileName.DEFAULT_SEGMENT_SIZE);
            context.output().result(inventory, describe(inventory));
            return context.exitCode(0);
        }
        BackupCatalog.Listing listing = new BackupCatalog(repository).listing();
        List<BackupSummary> backups = listing.backups().stream().map(ListCommand::summary).toList();
        StringBuilder text = new StringBuilder();
        if (backups.isEmpty() && listing.damaged().isEmpty()) {
            text.append("no backups yet in ").append(repository.storage().describe());
        } else {
            text.append(describe(backups, listing.damaged()));
        }
        if (!walFiles.isEmpty()) {
            WalInventory inventory = WalInventory.of(walFiles, WalFileName.DEFAULT_SEGMENT_SIZE);
            text.append("WAL archive: ").append(inventory.segmentCount()).append(" segment(s) on ").append(inventory.timelines().size())
                    .append(" timeline(s), newest ").append(walFiles.get(walFiles.size() - 1).name())
                    .append(inventory.gaps().isEmpty() ? ", no gaps" : ", " + inventory.gaps().size() + " GAP(S): see 'cellar list --wal'");
        }
        int exitCode = strict && !listing.damaged().isEmpty() ? ErrorCode.VERIFY_FAILED.exitCode() : 0;
        List<RepositoryTarget> copies = context.repositoryTargets();
        if (copies.size() > 1) {
            List<CopyLag> lag = copyLag(context, copies);
            text.append(text.isEmpty() || text.charAt(text.length() - 1) == '\n' ? "" : "\n").append(describe(lag));
            context.output().result(new CopiesListing(backups, listing.damaged(), lag), text.toString());
            return context.exitCode(exitCode);
        }
        context.output().result(new BackupListing(backups, listing.damaged()), text.toString());
        return context.exitCode(exitCode);
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

    /**
     * How one copy compares with the others: what it holds, and what it lacks that another copy
     * holds. Counted from listings alone, so it costs one listing of backups/, wal/ and audit/ per copy.
     *
     * @param reachable           false when the copy could not be reached (then only its name and location are known)
     * @param missingBackups      backups another copy holds and this one does not (its own retention may expire some on purpose)
     * @param missingWal          WAL files another copy holds and this one does not
     * @param missingAuditRecords audit records another copy holds and this one does not
     */
    record CopyLag(String name, String location, boolean reachable, int backups, int walFiles, String newestBackup,
                   List<String> missingBackups, int missingWal, int missingAuditRecords, String newestWal) {
        boolean upToDate() {
            return reachable && missingBackups.isEmpty() && missingWal == 0 && missingAuditRecords == 0;
        }
    }

    /** The listing with several copies: the backups (of all copies together), damaged manifests, and each copy's lag. */
    record CopiesListing(List<BackupSummary> backups, List<DamagedManifest> damaged, List<CopyLag> copies) {
    }

    /** What one copy lists, or null for a copy that could not be reached. */
    private record Listed(TreeSet<String> backups, TreeSet<String> wal, TreeSet<String> audit) {
    }

    private static List<CopyLag> copyLag(CommandContext context, List<RepositoryTarget> copies) {
        List<Listed> listed = new ArrayList<>();
        TreeSet<String> allBackups = new TreeSet<>();
        TreeSet<String> allWal = new TreeSet<>();
        TreeSet<String> allAudit = new TreeSet<>();
        for (RepositoryTarget copy : copies) {
            Storage storage = context.storageOf(copy);
            try {
                Listed one = new Listed(new TreeSet<>(storage.list(RepositoryLayout.BACKUPS)), new TreeSet<>(storage.list(RepositoryLayout.WAL)),
                        new TreeSet<>(storage.list(RepositoryLayout.AUDIT)));
                allBackups.addAll(one.backups());
                allWal.addAll(one.wal());
                allAudit.addAll(one.audit());
                listed.add(one);
            } catch (CellarException e) {
                if (!Reachability.unreachable(e)) {
                    throw e;
                }
                listed.add(null); // said on stderr once, by the copies themselves
            }
        }
        List<CopyLag> lag = new ArrayList<>();
        for (int i = 0; i < copies.size(); i++) {
            Listed mine = listed.get(i);
            RepositoryTarget copy = copies.get(i);
            if (mine == null) {
                lag.add(new CopyLag(copy.name(), copy.location(), false, 0, 0, null, List.of(), 0, 0, null));
                continue;
            }
            List<String> missing = allBackups.stream().filter(k -> !mine.backups().contains(k))
                    .map(k -> k.substring(RepositoryLayout.BACKUPS.length())).toList();
            long missingWal = allWal.stream().filter(k -> !mine.wal().contains(k)).count();
            long missingAudit = allAudit.stream().filter(k -> !mine.audit().contains(k)).count();
            lag.add(new CopyLag(copy.name(), copy.location(), true, mine.backups().size(), mine.wal().size(),
                    mine.backups().isEmpty() ? null : mine.backups().last().substring(RepositoryLayout.BACKUPS.length()), missing,
                    (int) missingWal, (int) missingAudit,
                    mine.wal().isEmpty() ? null : mine.wal().last().substring(mine.wal().last().lastIndexOf('/') + 1)));
        }
        return lag;
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

    static BackupSummary summary(BackupManifest m) {
        PhysicalInfo p = m.physical();
        return new BackupSummary(m.id(), m.kind(), p == null ? null : p.type(), m.database(),
                p == null ? null : Long.toUnsignedString(p.systemIdentifier()), TIME.format(m.startedAt()),
                m.duration().toMillis() / 1000.0, m.totalBytes(), m.storedBytes(), m.tables().size(), m.totalRows(), m.serverVersion(),
                p == null ? null : p.timeline(), p == null ? null : p.startLsn(), p == null ? null : p.stopLsn(),
                m.globals() == null ? null : m.globals().run());
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
