package dev.cellar.expire;

import dev.cellar.config.RetentionConfig;
import dev.cellar.repo.BackupManifest;
import dev.cellar.wal.WalFileName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides which backups and WAL files expire. A pure function of the backups, the archived WAL
 * file names, the time and the retention settings: it reads and deletes nothing (object sizes,
 * for the estimate, come through {@link StoredSizes}). The rules are the contract in
 * docs/expire.md:
 * <ol>
 *   <li>a backup younger than full-days is kept; the newest backup of each kind (for logical
 *       backups, of each database) is kept whatever its age;</li>
 *   <li>the newest physical backup that finished at or before the window start (now - wal-days)
 *       anchors point-in-time recovery and is kept; without one, the oldest physical backup is the
 *       anchor and the plan warns that the window is shorter;</li>
 *   <li>a segment, partial or backup-history file goes only if its segment number is below every
 *       kept physical backup's start segment; timeline history files never go; without a
 *       physical backup no WAL goes;</li>
 *   <li>an incremental backup does not keep its parent (each manifest lists every file);</li>
 *   <li>a backup under WORM retention (as its manifest records it) is kept until the date has
 *       passed, whatever else applies: the storage would refuse the delete anyway.</li>
 * </ol>
 */
public final class RetentionPlanner {
    private static final Comparator<BackupSummary> OLDEST_FIRST =
            Comparator.comparing(BackupSummary::finishedAt).thenComparing(BackupSummary::id);

    private final RetentionConfig retention;

    public RetentionPlanner(RetentionConfig retention) {
        this.retention = retention;
    }

    public RetentionPlan plan(List<BackupSummary> backups, List<WalFileName> wal, Instant now, StoredSizes sizes) {
        Instant fullCutoff = now.minus(Duration.ofDays(retention.fullDays()));
        Instant windowStart = now.minus(Duration.ofDays(retention.walDays()));
        List<BackupSummary> sorted = backups.stream().sorted(OLDEST_FIRST).toList();
        List<BackupSummary> physical = sorted.stream().filter(BackupSummary::isPhysical).toList();
        List<String> warnings = new ArrayList<>();

        // Rules 1 and 2: every reason to keep each backup.
        Map<String, List<String>> keepReasons = new LinkedHashMap<>();
        sorted.forEach(b -> keepReasons.put(b.id(), new ArrayList<>()));
        for (BackupSummary b : sorted) {
            if (b.finishedAt().isAfter(fullCutoff)) {
                keepReasons.get(b.id()).add("finished " + age(b, now) + " ago, within full-days " + retention.fullDays());
            }
            if (b.lock() != null && b.lock().activeAt(now)) {
                keepReasons.get(b.id()).add("locked until " + b.lock().retainUntil() + " ("
                        + b.lock().mode().name().toLowerCase(java.util.Locale.ROOT) + " WORM retention)");
            }
        }
        newestOfEachKind(sorted).forEach((id, reason) -> keepReasons.get(id).add(reason));
        BackupSummary anchor = anchor(physical, windowStart, now, warnings);
        if (anchor != null) {
            keepReasons.get(anchor.id()).add(anchor.finishedAt().isAfter(windowStart)
                    ? "PITR anchor: oldest physical backup (none finished before the window start)"
                    : "PITR anchor: newest physical backup finished before the " + retention.walDays() + "-day window start");
        }

        Set<String> keptIds = keepReasons.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        List<RetentionPlan.BackupDecision> keep = new ArrayList<>();
        List<RetentionPlan.BackupDecision> delete = new ArrayList<>();
        for (BackupSummary b : sorted) {
            if (keptIds.contains(b.id())) {
                keep.add(decision(b, String.join("; ", keepReasons.get(b.id())), now));
            } else {
                delete.add(decision(b, deleteReason(b, sorted, keptIds, anchor, now), now));
            }
        }
        List<BackupSummary> keptPhysical = physical.stream().filter(b -> keptIds.contains(b.id())).toList();

        // Rule 3: WAL below the first segment any kept physical backup needs.
        WalCut cut = walCut(physical, keptPhysical, wal, warnings);
        List<WalFileName> history = new ArrayList<>();
        List<WalFileName> kept = new ArrayList<>();
        List<WalFileName> doomed = new ArrayList<>();
        for (WalFileName file : wal) {
            if (file.kind() == WalFileName.Kind.HISTORY) {
                history.add(file);
            } else if (cut.firstNeeded != null && file.segmentNumber(cut.segmentSize) < cut.firstNeeded) {
                doomed.add(file);
            } else {
                kept.add(file);
            }
        }
        // ascending, so a run that stops half-way leaves the archive without a hole
        doomed.sort(Comparator.<WalFileName>comparingLong(f -> f.segmentNumber(cut.segmentSize))
                .thenComparingInt(WalFileName::timeline).thenComparing(WalFileName::name));
        warnAboutMissingWal(keptPhysical, kept, cut.segmentSize, warnings);

        // Estimate: deleted WAL, and chunks that no kept backup shares.
        Set<String> keptChunks = new HashSet<>();
        sorted.stream().filter(b -> keptIds.contains(b.id())).forEach(b -> keptChunks.addAll(b.chunkIds()));
        Set<String> freedChunks = new TreeSet<>();
        sorted.stream().filter(b -> !keptIds.contains(b.id())).forEach(b -> b.chunkIds().stream()
                .filter(id -> !keptChunks.contains(id)).forEach(freedChunks::add));
        long bytes = doomed.stream().mapToLong(sizes::wal).sum() + freedChunks.stream().mapToLong(sizes::chunk).sum();

        return new RetentionPlan(now, retention.fullDays(), retention.walDays(), fullCutoff, windowStart,
                anchor == null ? null : anchor.id(), keptPhysical.isEmpty() ? null : keptPhysical.get(0).finishedAt(),
                keep, delete,
                cut.firstNeeded == null ? null : WalFileName.segment(cut.timelineOfFirst, cut.firstNeeded, cut.segmentSize).name(),
                WalRanges.of(kept, cut.segmentSize), WalRanges.of(doomed, cut.segmentSize),
                doomed.stream().map(WalFileName::name).toList(), history.stream().map(WalFileName::name).toList(),
                freedChunks.size(), bytes, warnings);
    }

    /** The newest backup of each kind; logical backups count per database, so one busy database cannot expire another's only backup. */
    private static Map<String, String> newestOfEachKind(List<BackupSummary> oldestFirst) {
        Map<String, BackupSummary> newest = new LinkedHashMap<>();
        for (BackupSummary b : oldestFirst) {
            String group = b.isPhysical() ? BackupManifest.KIND_PHYSICAL : b.kind() + "\u0000" + b.database();
            newest.put(group, b);
        }
        Map<String, String> reasons = new LinkedHashMap<>();
        newest.values().forEach(b -> reasons.put(b.id(), b.isPhysical() ? "newest physical backup"
                : "newest " + b.kind() + " backup of database " + b.database()));
        return reasons;
    }

    private BackupSummary anchor(List<BackupSummary> physicalOldestFirst, Instant windowStart, Instant now, List<String> warnings) {
        if (physicalOldestFirst.isEmpty()) {
            return null;
        }
        Optional<BackupSummary> beforeWindow = physicalOldestFirst.stream()
                .filter(b -> !b.finishedAt().isAfter(windowStart))
                .reduce((older, newer) -> newer);
        if (beforeWindow.isPresent()) {
            return beforeWindow.get();
        }
        BackupSummary oldest = physicalOldestFirst.get(0);
        warnings.add("point-in-time recovery reaches back only to " + oldest.finishedAt() + " (" + age(oldest, now)
                + "), not the configured " + retention.walDays() + " days: no physical backup is that old yet");
        return oldest;
    }

    /** Where WAL deletion stops: the lowest start segment of the kept physical backups, or nowhere. */
    private record WalCut(Long firstNeeded, int timelineOfFirst, long segmentSize) {
    }

    private static WalCut walCut(List<BackupSummary> physical, List<BackupSummary> keptPhysical, List<WalFileName> wal,
                                 List<String> warnings) {
        if (physical.isEmpty()) {
            if (wal.stream().anyMatch(f -> f.kind() != WalFileName.Kind.HISTORY)) {
                warnings.add("no physical backup in the repository: no WAL is deleted (nothing can replay it yet, "
                        + "and the first physical backup decides what is needed)");
            }
            return new WalCut(null, 0, WalFileName.DEFAULT_SEGMENT_SIZE);
        }
        Set<Integer> segmentSizes = physical.stream().map(b -> b.wal().walSegmentSize()).collect(Collectors.toCollection(TreeSet::new));
        long segmentSize = segmentSizes.iterator().next();
        if (segmentSizes.size() > 1) {
            warnings.add("physical backups record different WAL segment sizes " + segmentSizes
                    + " (more than one cluster in this repository?): no WAL is deleted");
            return new WalCut(null, 0, segmentSize);
        }
        BackupSummary first = keptPhysical.stream()
                .min(Comparator.comparingLong((BackupSummary b) -> startSegment(b, segmentSize)).thenComparing(OLDEST_FIRST))
                .orElseThrow();
        return new WalCut(startSegment(first, segmentSize), first.wal().timeline(), segmentSize);
    }

    private static long startSegment(BackupSummary b, long segmentSize) {
        return WalFileName.parse(b.wal().startWal()).segmentNumber(segmentSize);
    }

    /** A kept physical backup that lacks part of its start..stop WAL cannot be restored consistently: say so. */
    private static void warnAboutMissingWal(List<BackupSummary> keptPhysical, List<WalFileName> keptWal, long segmentSize,
                                            List<String> warnings) {
        Set<String> present = keptWal.stream()
                .filter(f -> f.kind() == WalFileName.Kind.SEGMENT || f.kind() == WalFileName.Kind.PARTIAL)
                .map(f -> f.timeline() + "/" + f.segmentNumber(segmentSize)).collect(Collectors.toSet());
        for (BackupSummary b : keptPhysical) {
            long start = startSegment(b, segmentSize);
            long stop = WalFileName.parse(b.wal().stopWal()).segmentNumber(segmentSize);
            List<String> missing = new ArrayList<>();
            for (long segment = start; segment <= stop; segment++) {
                if (!present.contains(WalFileName.parse(b.wal().startWal()).timeline() + "/" + segment)) {
                    missing.add(WalFileName.segment(WalFileName.parse(b.wal().startWal()).timeline(), segment, segmentSize).name());
                }
            }
            if (!missing.isEmpty()) {
                warnings.add("kept backup " + b.id() + " lacks " + missing.size() + " of the WAL files it needs to become consistent ("
                        + missing.get(0) + (missing.size() > 1 ? " .. " + missing.get(missing.size() - 1) : "")
                        + "): it cannot be restored until they are archived");
            }
        }
    }

    private String deleteReason(BackupSummary b, List<BackupSummary> all, Set<String> keptIds, BackupSummary anchor, Instant now) {
        StringBuilder reason = new StringBuilder("finished " + age(b, now) + " ago, beyond full-days " + retention.fullDays()
                + "; a newer " + b.kind() + " backup exists");
        if (b.isPhysical() && anchor != null) {
            reason.append("; the PITR window starts from ").append(anchor.id());
        }
        List<String> keptChildren = all.stream()
                .filter(c -> c.isPhysical() && b.id().equals(c.wal().parentId()) && keptIds.contains(c.id()))
                .map(BackupSummary::id).toList();
        if (!keptChildren.isEmpty()) {
            reason.append("; kept incremental ").append(String.join(", ", keptChildren))
                    .append(" does not need it (every manifest is complete)");
        }
        return reason.toString();
    }

    private static RetentionPlan.BackupDecision decision(BackupSummary b, String reason, Instant now) {
        return new RetentionPlan.BackupDecision(b.id(), b.kind(), b.isPhysical() ? b.wal().type() : null, b.database(),
                b.finishedAt(), reason, b.lock() != null && b.lock().activeAt(now) ? b.lock().retainUntil() : null);
    }

    private static String age(BackupSummary b, Instant now) {
        Duration age = Duration.between(b.finishedAt(), now);
        long days = age.toDays();
        return days >= 1 ? days + (days == 1 ? " day" : " days") : age.toHours() + " h";
    }
}
