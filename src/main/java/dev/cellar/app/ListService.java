package dev.cellar.app;

import dev.cellar.config.RepositoryTarget;
import dev.cellar.error.CellarException;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupHeadline;
import dev.cellar.repo.DamagedManifest;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.storage.Reachability;
import dev.cellar.storage.Storage;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.WalInventory;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a repository holds: its finished backups, the manifests that do not read, the WAL archive,
 * and with several copies how each compares with the others.
 *
 * <p>For the daemon: reads only (no lock, no audit record, never blocks on the repository lock);
 * may prompt only through the context's secret prompter when it opens the repository. A copy
 * that cannot be reached is left out and listed as unreachable (the context says which).
 */
public final class ListService {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final CellarContext context;

    public ListService(CellarContext context) {
        this.context = context;
    }

    /**
     * One backup of the listing.
     *
     * @param database         the database of a logical backup; null for a physical one (see systemIdentifier)
     * @param systemIdentifier the cluster of a physical backup (pg_control's system identifier); null for a logical one
     * @param run              the {@code backup logical --all} run a logical backup belongs to; null otherwise
     */
    public record BackupSummary(String id, String kind, String type, String database, String systemIdentifier, String startedAt,
                                double durationSeconds, long bytes, long storedBytes, int tables, long rows, String serverVersion,
                                Integer timeline, String startLsn, String stopLsn, String run) {
    }

    /** The listing of one repository: every backup that reads, and every manifest that does not. */
    public record BackupListing(List<BackupSummary> backups, List<DamagedManifest> damaged) {
    }

    /** The listing with several copies: the backups (of all copies together), damaged manifests, and each copy's lag. */
    public record CopiesListing(List<BackupSummary> backups, List<DamagedManifest> damaged, List<CopyLag> copies) {
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
    public record CopyLag(String name, String location, boolean reachable, int backups, int walFiles, String newestBackup,
                          List<String> missingBackups, int missingWal, int missingAuditRecords, String newestWal) {
        public boolean upToDate() {
            return reachable && missingBackups.isEmpty() && missingWal == 0 && missingAuditRecords == 0;
        }
    }

    /**
     * Everything {@code cellar list} shows.
     *
     * @param location the repository's storage, for "no backups yet in ..."
     * @param wal      the WAL archive per timeline
     * @param newestWal the newest WAL file's name, or null when the archive is empty
     * @param copies   each copy's lag when several copies are listed; empty with one
     */
    public record Listing(String location, List<BackupSummary> backups, List<DamagedManifest> damaged, WalInventory wal,
                          String newestWal, List<CopyLag> copies) {
        public boolean severalCopies() {
            return !copies.isEmpty();
        }
    }

    /** The WAL archive alone, per timeline with every gap. */
    public WalInventory walInventory() {
        Repository repository = context.openRepository();
        return WalInventory.of(walFiles(repository), WalFileName.DEFAULT_SEGMENT_SIZE);
    }

    /** The backups, damaged manifests, WAL archive and (with several copies) each copy's lag. */
    public Listing list() {
        context.warmUpManifestReading();
        Repository repository = context.openRepository();
        List<WalFileName> walFiles = walFiles(repository);
        BackupCatalog.Summaries<BackupHeadline> listing = new BackupCatalog(repository).headlines();
        List<BackupSummary> backups = listing.backups().stream().map(ListService::summary).toList();
        WalInventory wal = WalInventory.of(walFiles, WalFileName.DEFAULT_SEGMENT_SIZE);
        List<RepositoryTarget> copies = context.repositoryTargets();
        List<CopyLag> lag = copies.size() > 1 ? copyLag(copies) : List.of();
        return new Listing(repository.storage().describe(), backups, listing.damaged(), wal,
                walFiles.isEmpty() ? null : walFiles.get(walFiles.size() - 1).name(), lag);
    }

    private List<WalFileName> walFiles(Repository repository) {
        return new WalArchive(repository, context.config().wal().compressionLevel()).list();
    }

    /** A backup's line of the listing. */
    public static BackupSummary summary(BackupHeadline h) {
        return new BackupSummary(h.id(), h.kind(), h.physicalType(), h.database(),
                h.systemIdentifier() == null ? null : Long.toUnsignedString(h.systemIdentifier()), TIME.format(h.startedAt()),
                Duration.between(h.startedAt(), h.finishedAt()).toMillis() / 1000.0, h.totalBytes(), h.storedBytes(), h.tables(), h.rows(),
                h.serverVersion(), h.timeline(), h.startLsn(), h.stopLsn(), h.run());
    }

    /** What one copy lists, or null for a copy that could not be reached. */
    private record Listed(TreeSet<String> backups, TreeSet<String> wal, TreeSet<String> audit) {
    }

    private List<CopyLag> copyLag(List<RepositoryTarget> copies) {
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
                listed.add(null); // warned about once, by the copies themselves
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
}
